package org.ciampack.profiling;

import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import org.ciampack.common.FirstUseRows;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Reads and keeps users' profiling state in the request's transaction. */
public final class ProfilingStore {

    private final KeycloakSession session;

    public ProfilingStore(KeycloakSession session) {
        this.session = session;
    }

    /**
     * Counts a login with one UPDATE that runs at once (so concurrent logins all count), then returns the row. The
     * count only matters up to the plan's highest "login N" ({@code upTo}): past it every such stage is due anyway,
     * and a returning customer's login costs one read instead of a write. A plan that raises it counts on from there.
     */
    public ProfilingStateEntity countLogin(String realmId, String userId, int upTo) {
        ProfilingStateEntity state = find(realmId, userId);
        if (state == null) {
            // Not loaded here: the entity read below must carry the new count.
            FirstUseRows.ensure(session.getKeycloakSessionFactory(), ProfilingStateEntity.class,
                    new ProfilingStateEntity.Key(realmId, userId), () -> new ProfilingStateEntity(realmId, userId));
            increment(realmId, userId);
            return state(realmId, userId);
        }
        if (state.getLoginCount() >= upTo) {
            return state;
        }
        increment(realmId, userId);
        entityManager(session).refresh(state);
        return state;
    }

    /**
     * The first login of a customer who registers: their row is new and goes with the request's own transaction, as
     * one insert (nobody signs in with an account this request has not committed). Where the realm's registration
     * flow shows a page before this step, the account is committed already and a row may exist: counted as a login.
     */
    public ProfilingStateEntity countRegistration(String realmId, String userId, int upTo) {
        if (find(realmId, userId) != null) {
            return countLogin(realmId, userId, upTo);
        }
        ProfilingStateEntity state = new ProfilingStateEntity(realmId, userId);
        state.countedOnce();
        entityManager(session).persist(state);
        return state;
    }

    private void increment(String realmId, String userId) {
        // No flush first: nothing this request changed is in the counted row.
        entityManager(session).createNamedQuery("ciamProfiling.countLogin").setParameter("realmId", realmId)
                .setParameter("userId", userId).setFlushMode(FlushModeType.COMMIT).executeUpdate();
    }

    /** The user's row, made on first use. */
    public ProfilingStateEntity state(String realmId, String userId) {
        ProfilingStateEntity state = find(realmId, userId);
        if (state == null) {
            // Two first logins of one user at once: neither fails on the primary key, the loser reads the winner's.
            state = FirstUseRows.ensureAndLock(session, ProfilingStateEntity.class,
                    new ProfilingStateEntity.Key(realmId, userId), () -> new ProfilingStateEntity(realmId, userId),
                    LockModeType.PESSIMISTIC_READ);
        }
        return state;
    }

    private ProfilingStateEntity find(String realmId, String userId) {
        return entityManager(session).find(ProfilingStateEntity.class, new ProfilingStateEntity.Key(realmId, userId));
    }

    public void forgetUser(String realmId, String userId) {
        entityManager(session).createNamedQuery("ciamProfiling.deleteUser").setParameter("realmId", realmId)
                .setParameter("userId", userId).executeUpdate();
    }

    public void forgetRealm(String realmId) {
        entityManager(session).createNamedQuery("ciamProfiling.deleteRealm").setParameter("realmId", realmId)
                .executeUpdate();
    }

    private static EntityManager entityManager(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
