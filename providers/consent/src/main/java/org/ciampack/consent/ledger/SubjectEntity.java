package org.ciampack.consent.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * A user's consent standing (CIAM_CONSENT_SUBJECT): the latest decision per purpose and the admin's requests to
 * decide again, as JSON, plus the last receipt number. The row is locked while a decision is recorded, so
 * concurrent decisions of one user are numbered one after the other and the standing always matches the latest
 * receipt; a login reads this one row instead of the user's whole ledger.
 */
@Entity
@Table(name = "CIAM_CONSENT_SUBJECT")
@IdClass(SubjectEntity.Key.class)
@NamedQueries({
        @NamedQuery(name = "ciamSubject.deleteUser", query = "delete from SubjectEntity s where s.realmId = :realmId "
                + "and s.userId = :userId"),
        @NamedQuery(name = "ciamSubject.user", query = "select s from SubjectEntity s where s.realmId = :realmId "
                + "and s.userId = :userId"),
        @NamedQuery(name = "ciamSubject.deleteRealm", query = "delete from SubjectEntity s where s.realmId = :realmId")
})
public class SubjectEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Id
    @Column(name = "USER_ID", length = 255)
    private String userId;

    @Column(name = "LAST_SEQ", nullable = false)
    private long lastSeq;

    @Column(name = "LATEST", nullable = false, length = 20000)
    private String latest;

    @Column(name = "REQUESTS", nullable = false, length = 4000)
    private String requests;

    protected SubjectEntity() {
    }

    public SubjectEntity(String realmId, String userId) {
        this.realmId = realmId;
        this.userId = userId;
        this.latest = "{}";
        this.requests = "{}";
    }

    public String getRealmId() {
        return realmId;
    }

    public String getUserId() {
        return userId;
    }

    public long nextSeq() {
        return ++lastSeq;
    }

    public String getLatest() {
        return latest;
    }

    public void setLatest(String latest) {
        this.latest = latest;
    }

    public String getRequests() {
        return requests;
    }

    public void setRequests(String requests) {
        this.requests = requests;
    }

    public static final class Key implements Serializable {
        private String realmId;
        private String userId;

        public Key() {
        }

        public Key(String realmId, String userId) {
            this.realmId = realmId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(realmId, key.realmId) && Objects.equals(userId, key.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(realmId, userId);
        }
    }
}
