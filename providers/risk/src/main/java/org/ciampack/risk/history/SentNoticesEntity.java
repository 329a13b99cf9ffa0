package org.ciampack.risk.history;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;

/**
 * One customer's row of CIAM_RISK_NOTICE: the "new sign-in" e-mails sent to them lately, as JSON. The row is
 * locked while a notice is decided, so logins on any node never both send the same one.
 */
@Entity
@Table(name = "CIAM_RISK_NOTICE")
@IdClass(SentNoticesEntity.Key.class)
@NamedQueries({
        @NamedQuery(name = "ciamRiskNotice.deleteUser",
                query = "delete from SentNoticesEntity n where n.realmId = :realmId and n.userId = :userId"),
        @NamedQuery(name = "ciamRiskNotice.deleteRealm", query = "delete from SentNoticesEntity n where n.realmId = :realmId")
})
public class SentNoticesEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Id
    @Column(name = "USER_ID", length = 255)
    private String userId;

    @Column(name = "SENT", length = 4000)
    private String sent;

    protected SentNoticesEntity() {
    }

    SentNoticesEntity(String realmId, String userId) {
        this.realmId = realmId;
        this.userId = userId;
        this.sent = "[]";
    }

    String sent() {
        return sent;
    }

    void sent(String json) {
        this.sent = json;
    }

    /** The composite key. */
    public static class Key implements Serializable {
        private String realmId;
        private String userId;

        public Key() {
        }

        Key(String realmId, String userId) {
            this.realmId = realmId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.realmId.equals(realmId) && key.userId.equals(userId);
        }

        @Override
        public int hashCode() {
            return realmId.hashCode() * 31 + userId.hashCode();
        }
    }
}
