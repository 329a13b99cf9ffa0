package org.ciampack.profiling;

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
 * A user's progressive-profiling state (CIAM_PROFILING_USER): how many times they signed in, and each question's
 * history as JSON. One row per user, read and written once per login; not part of the user profile, so it never
 * reaches a token, the account console or the admin's user view.
 */
@Entity
@Table(name = "CIAM_PROFILING_USER")
@IdClass(ProfilingStateEntity.Key.class)
@NamedQueries({
        @NamedQuery(name = "ciamProfiling.countLogin", query = "update ProfilingStateEntity s "
                + "set s.loginCount = s.loginCount + 1 where s.realmId = :realmId and s.userId = :userId"),
        @NamedQuery(name = "ciamProfiling.deleteUser", query = "delete from ProfilingStateEntity s "
                + "where s.realmId = :realmId and s.userId = :userId"),
        @NamedQuery(name = "ciamProfiling.deleteRealm", query = "delete from ProfilingStateEntity s "
                + "where s.realmId = :realmId")
})
public class ProfilingStateEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Id
    @Column(name = "USER_ID", length = 255)
    private String userId;

    @Column(name = "LOGIN_COUNT", nullable = false)
    private long loginCount;

    @Column(name = "QUESTIONS", nullable = false, length = 4000)
    private String questions;

    protected ProfilingStateEntity() {
    }

    public ProfilingStateEntity(String realmId, String userId) {
        this.realmId = realmId;
        this.userId = userId;
        this.questions = "{}";
    }

    /** A new row's first login; later logins are counted with one UPDATE ({@code ciamProfiling.countLogin}). */
    void countedOnce() {
        loginCount = 1;
    }

    public long getLoginCount() {
        return loginCount;
    }

    public String getQuestions() {
        return questions;
    }

    public void setQuestions(String questions) {
        this.questions = questions;
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
            return other instanceof Key key && Objects.equals(realmId, key.realmId)
                    && Objects.equals(userId, key.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(realmId, userId);
        }
    }
}
