package org.ciampack.consent.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One consent receipt (CIAM_CONSENT_RECEIPT): who decided what on which version of a purpose, when, where and how.
 * Rows are only ever added; a deleted user's rows lose their personal fields (or go, if so configured).
 * {@code seq} numbers a user's receipts without gaps, so the latest decision is never in doubt.
 */
@Entity
@Table(name = "CIAM_CONSENT_RECEIPT")
@NamedQueries({
        @NamedQuery(name = "ciamReceipt.ofUser", query = "select r from ReceiptEntity r where r.realmId = :realmId "
                + "and r.userId = :userId order by r.seq desc"),
        // Pages are ordered as the index (REALM_ID, DECIDED_AT, ID) is, so a page reads its rows off the index and
        // stops: no sort of everything after it.
        @NamedQuery(name = "ciamReceipt.firstPage", query = "select r from ReceiptEntity r where r.realmId = :realmId "
                + "and r.decidedAt >= :from and r.decidedAt < :to order by r.realmId, r.decidedAt, r.id"),
        @NamedQuery(name = "ciamReceipt.nextPage", query = "select r from ReceiptEntity r where r.realmId = :realmId "
                + "and r.decidedAt >= :afterAt and r.decidedAt < :to and (r.decidedAt > :afterAt or r.id > :afterId) "
                + "order by r.realmId, r.decidedAt, r.id"),
        // The times, not a count: it is read with a lock, and PostgreSQL locks no rows of an aggregate.
        @NamedQuery(name = "ciamReceipt.recent", query = "select r.decidedAt from ReceiptEntity r "
                + "where r.realmId = :realmId and r.userId = :userId and r.source = :source and r.decidedAt >= :since"),
        @NamedQuery(name = "ciamReceipt.highestVersion", query = "select max(r.version) from ReceiptEntity r "
                + "where r.realmId = :realmId and r.purpose = :purpose"),
        @NamedQuery(name = "ciamReceipt.counts", query = "select r.purpose, r.version, r.decision, count(r) "
                + "from ReceiptEntity r where r.realmId = :realmId group by r.purpose, r.version, r.decision"),
        @NamedQuery(name = "ciamReceipt.pseudonymize", query = "update ReceiptEntity r set r.userId = :pseudonym, "
                + "r.ipAddress = null, r.userAgent = null, r.pseudonymous = true "
                + "where r.realmId = :realmId and r.userId = :userId"),
        @NamedQuery(name = "ciamReceipt.deleteUser", query = "delete from ReceiptEntity r where r.realmId = :realmId "
                + "and r.userId = :userId"),
        @NamedQuery(name = "ciamReceipt.deleteRealm", query = "delete from ReceiptEntity r where r.realmId = :realmId")
})
public class ReceiptEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 255, nullable = false)
    private String userId;

    @Column(name = "SEQ", nullable = false)
    private long seq;

    @Column(name = "PURPOSE", length = 64, nullable = false)
    private String purpose;

    @Column(name = "PURPOSE_VERSION", nullable = false)
    private int version;

    @Column(name = "DECISION", length = 16, nullable = false)
    private String decision;

    @Column(name = "DECIDED_AT", nullable = false)
    private long decidedAt;

    @Column(name = "SOURCE", length = 16, nullable = false)
    private String source;

    @Column(name = "CLIENT_ID", length = 255)
    private String clientId;

    @Column(name = "IP_ADDRESS", length = 64)
    private String ipAddress;

    @Column(name = "USER_AGENT", length = 255)
    private String userAgent;

    @Column(name = "PSEUDONYMOUS", nullable = false)
    private boolean pseudonymous;

    protected ReceiptEntity() {
    }

    public ReceiptEntity(String id, String realmId, String userId, long seq, String purpose, int version,
            String decision, long decidedAt, String source, String clientId, String ipAddress, String userAgent) {
        this.id = id;
        this.realmId = realmId;
        this.userId = userId;
        this.seq = seq;
        this.purpose = purpose;
        this.version = version;
        this.decision = decision;
        this.decidedAt = decidedAt;
        this.source = source;
        this.clientId = clientId;
        this.ipAddress = ipAddress;
        this.userAgent = userAgent;
    }

    public String getId() {
        return id;
    }

    public String getRealmId() {
        return realmId;
    }

    public String getUserId() {
        return userId;
    }

    public long getSeq() {
        return seq;
    }

    public String getPurpose() {
        return purpose;
    }

    public int getVersion() {
        return version;
    }

    public String getDecision() {
        return decision;
    }

    public long getDecidedAt() {
        return decidedAt;
    }

    public String getSource() {
        return source;
    }

    public String getClientId() {
        return clientId;
    }

    public String getIpAddress() {
        return ipAddress;
    }

    public String getUserAgent() {
        return userAgent;
    }

    public boolean isPseudonymous() {
        return pseudonymous;
    }
}
