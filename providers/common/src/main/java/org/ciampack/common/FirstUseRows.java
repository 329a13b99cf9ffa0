package org.ciampack.common;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * A row that whoever needs it first makes (a customer's standing, a route's state): made in a transaction of its
 * own, so two first uses at the same moment, on any node, do not fail either request on the primary key; then read
 * in the caller's transaction with a lock. The lock is what makes the row visible: on MariaDB and MySQL a plain read
 * keeps the transaction's first snapshot, which predates a row committed since; a locking read sees the latest.
 * A caller that may find the row first reads it plainly before (a locking read of a missing row would lock the gap
 * on InnoDB, and the insert here would wait on it).
 */
public final class FirstUseRows {

    private static final Logger LOG = Logger.getLogger(FirstUseRows.class);

    private FirstUseRows() {
    }

    /** Makes the row in a transaction of its own unless it is there; one made elsewhere meanwhile is as good. */
    public static <T> void ensure(KeycloakSessionFactory factory, Class<T> type, Object key, Supplier<T> row) {
        tryToMake(factory, type, key, row);
    }

    /**
     * {@link #ensure}, then the row read with {@code lock} in the caller's transaction. A row that could not be made
     * in a transaction of its own (no second connection from a pool that has run out, a lock that timed out) is made
     * in the caller's, which then holds it as the lock would; a first use at the same moment elsewhere may then fail
     * the caller's commit on the primary key, which is rarer than the pool running out.
     */
    public static <T> T ensureAndLock(KeycloakSession session, Class<T> type, Object key, Supplier<T> row,
                                      LockModeType lock) {
        RuntimeException failure = tryToMake(session.getKeycloakSessionFactory(), type, key, row);
        EntityManager em = entityManager(session);
        T found = em.find(type, key, lock);
        if (found != null) {
            return found;
        }
        LOG.warnf("%s: not made in a transaction of its own (%s); made in the request's", type.getSimpleName(),
                failure != null ? failure.getMessage() : "gone again");
        T made = row.get();
        em.persist(made);
        return made;
    }

    /** Null when the row is there now; otherwise why not (perhaps another request made it meanwhile). */
    private static <T> RuntimeException tryToMake(KeycloakSessionFactory factory, Class<T> type, Object key,
                                                  Supplier<T> row) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                EntityManager em = entityManager(session);
                if (em.find(type, key) == null) {
                    em.persist(row.get());
                }
            });
            return null;
        } catch (RuntimeException e) {
            LOG.debugf("%s: not made here, perhaps made at the same moment elsewhere (%s)", type.getSimpleName(),
                    e.getMessage());
            return e;
        }
    }

    private static EntityManager entityManager(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
