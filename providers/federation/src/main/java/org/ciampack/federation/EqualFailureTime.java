package org.ciampack.federation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;

/**
 * A failed sign-in takes as long whoever it was for: an unknown address, a customer of Keycloak's own, or a legacy
 * customer whose old hash (bcrypt, Argon2, PBKDF2: often slower than the realm's own) was checked, looked up and
 * imported first. Otherwise its time tells which addresses are legacy customers. All legacy work of a request
 * (lookups, imports, password checks) is timed; the legacy part of each password check sets the realm's time
 * ({@link LegacyCheckTime}), and a failed sign-in in a realm where this node has checked legacy passwords is held
 * until it has spent that long on legacy work and waiting. Keycloak's own hash (of the password, or its dummy hash
 * for an unknown address) comes on top of each alike.
 */
final class EqualFailureTime {

    /** The longest hold, unless the operator sets another (the listener factory's {@code max-pause-millis}). */
    static final Duration DEFAULT_MAX_PAUSE = Duration.ofSeconds(1);

    private static volatile long maxPause = DEFAULT_MAX_PAUSE.toNanos();
    private static final Map<String, LegacyCheckTime> REALMS = new ConcurrentHashMap<>();
    /** The legacy work of the request on this thread, until its transaction ends. */
    private static final ThreadLocal<Spent> SPENT = new ThreadLocal<>();

    private record Spent(KeycloakTransactionManager transaction, long nanos) {
    }

    private EqualFailureTime() {
    }

    static void maxPause(Duration pause) {
        maxPause = pause.toNanos();
    }

    /** Legacy work of this request that is no password check: a lookup, an import. */
    static <T> T timed(KeycloakSession session, Supplier<T> work) {
        long started = System.nanoTime();
        try {
            return work.get();
        } finally {
            spend(session, System.nanoTime() - started);
        }
    }

    /** The legacy part of a password check (the database asked, the hash compared): it sets the realm's time. */
    static boolean check(KeycloakSession session, String realmId, BooleanSupplier check) {
        long started = System.nanoTime();
        try {
            return check.getAsBoolean();
        } finally {
            long spent = spend(session, System.nanoTime() - started);
            REALMS.computeIfAbsent(realmId, id -> new LegacyCheckTime(maxPause)).record(spent);
        }
    }

    /** Adds to this request's legacy work; returns it all. Outside a transaction there is no request to hold. */
    private static long spend(KeycloakSession session, long took) {
        KeycloakTransactionManager transaction = session.getTransactionManager();
        if (!transaction.isActive()) {
            return took;
        }
        Spent spent = SPENT.get();
        if (spent == null || spent.transaction() != transaction) {
            transaction.enlistAfterCompletion(new AbstractKeycloakTransaction() {
                @Override
                protected void commitImpl() {
                    SPENT.remove();
                }

                @Override
                protected void rollbackImpl() {
                    SPENT.remove();
                }
            });
            spent = new Spent(transaction, 0);
        }
        long total = spent.nanos() + Math.max(0, took);
        SPENT.set(new Spent(transaction, total));
        return total;
    }

    /**
     * How long the failed sign-in ending on this thread must still wait, in nanoseconds: none in a realm without
     * legacy password checks on this node. The request's legacy work is forgotten.
     */
    static long owed(String realmId) {
        Spent spent = SPENT.get();
        SPENT.remove();
        LegacyCheckTime time = realmId == null ? null : REALMS.get(realmId);
        if (time == null) {
            return 0;
        }
        boolean thisRequest = spent != null && spent.transaction().isActive();
        return Math.min(maxPause, time.owed(thisRequest ? spent.nanos() : 0));
    }

    /** A realm removed: nothing of it is held any more. */
    static void forget(String realmId) {
        REALMS.remove(realmId);
    }
}
