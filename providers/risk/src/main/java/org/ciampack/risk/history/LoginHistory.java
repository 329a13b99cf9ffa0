package org.ciampack.risk.history;

import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import java.util.List;
import java.util.UUID;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** The login history table, read and written in the current Keycloak transaction. */
public final class LoginHistory {

    private final EntityManager em;

    private LoginHistory(EntityManager em) {
        this.em = em;
    }

    public static LoginHistory of(KeycloakSession session) {
        return new LoginHistory(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /**
     * The user's most recent successful logins, newest first. Read as plain values, not entities: fifty managed
     * rows would be dirty-checked at every later flush of the login's transaction. Nothing this request wrote is
     * in them (the history is written after the login), so the query needs no flush before it.
     */
    public List<PastLogin> recent(String realmId, String userId, int limit) {
        return em.createNamedQuery("ciamLoginHistory.recent", Object[].class)
                .setParameter("realmId", realmId)
                .setParameter("userId", userId)
                .setMaxResults(limit)
                .setFlushMode(FlushModeType.COMMIT)
                .getResultStream()
                .map(LoginHistoryEntity::toPastLogin)
                .toList();
    }

    /** Adds a login. */
    public void add(String realmId, String userId, PastLogin login) {
        em.persist(new LoginHistoryEntity(UUID.randomUUID().toString(), realmId, userId, login));
    }

    /** Drops the user's rows beyond the newest {@code keep}. */
    public void trim(String realmId, String userId, int keep) {
        em.flush();
        List<Long> beyond = em.createNamedQuery("ciamLoginHistory.times", Long.class)
                .setParameter("realmId", realmId)
                .setParameter("userId", userId)
                .setFirstResult(keep - 1)
                .setMaxResults(1)
                .getResultList();
        if (!beyond.isEmpty()) {
            em.createNamedQuery("ciamLoginHistory.deleteBefore")
                    .setParameter("realmId", realmId)
                    .setParameter("userId", userId)
                    .setParameter("before", beyond.get(0))
                    .executeUpdate();
        }
    }

    /** Forgets one of the user's devices; returns how many logins with it were removed. */
    public int forgetDevice(String realmId, String userId, String deviceId) {
        return em.createNamedQuery("ciamLoginHistory.deleteDevice")
                .setParameter("realmId", realmId)
                .setParameter("userId", userId)
                .setParameter("deviceId", deviceId)
                .executeUpdate();
    }

    public void removeUser(String realmId, String userId) {
        em.createNamedQuery("ciamLoginHistory.deleteUser")
                .setParameter("realmId", realmId)
                .setParameter("userId", userId)
                .executeUpdate();
    }

    public void removeRealm(String realmId) {
        em.createNamedQuery("ciamLoginHistory.deleteRealm").setParameter("realmId", realmId).executeUpdate();
    }
}
