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

    /** A request's legacy work, and whether it has been held already (a second failure in it owes nothing). */
    private record Spent(KeycloakTransactionManager transaction, long nanos, boolean held) {

        Spent plus(long took) {
            return new Spent(transaction, nanos + Math.max(0, took), held);
        }
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

    /**
     * A password check against a legacy hash (the database asked, the hash compared): the request's legacy work up to
     * its end, lookups and import included, sets the realm's time, as a failure must take at least that long.
     */
    static boolean check(KeycloakSession session, String realmId, BooleanSupplier check) {
        long started = System.nanoTime();
        try {
            return check.getAsBoolean();
        } finally {
            long now = System.nanoTime();
            Spent spent = spend(session, now - started);
            if (!spent.held()) {
                REALMS.computeIfAbsent(realmId, id -> new LegacyCheckTime(maxPause)).record(spent.nanos(), now);
            }
        }
    }

    /**
     * Adds to this request's legacy work; returns it all. Work in a transaction nested on the same thread (an event's
     * own, a listener's lookup) belongs to the request still running. Outside a transaction there is none to hold.
     */
    private static Spent spend(KeycloakSession session, long took) {
        Spent spent = SPENT.get();
        if (spent != null && spent.transaction().isActive()) {
            return remember(spent.plus(took));
        }
        KeycloakTransactionManager transaction = session.getTransactionManager();
        if (!transaction.isActive()) {
            return new Spent(transaction, 0, false).plus(took);
        }
        transaction.enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                forget();
            }

            @Override
            protected void rollbackImpl() {
                forget();
            }

            private void forget() {
                Spent current = SPENT.get();
                if (current != null && current.transaction() == transaction) {
                    SPENT.remove();
                }
            }
        });
        return remember(new Spent(transaction, 0, false).plus(took));
    }

    private static Spent remember(Spent spent) {
        SPENT.set(spent);
        return spent;
    }

    /**
     * How long the failed sign-in ending on this thread must still wait, in nanoseconds: none in a realm without
     * legacy password checks on this node, none if this request was held already.
     */
    static long owed(String realmId) {
        Spent spent = SPENT.get();
        boolean thisRequest = spent != null && spent.transaction().isActive();
        if (!thisRequest) {
            SPENT.remove();
        }
        LegacyCheckTime time = realmId == null ? null : REALMS.get(realmId);
        if (time == null || thisRequest && spent.held()) {
            return 0;
        }
        if (thisRequest) {
            remember(new Spent(spent.transaction(), spent.nanos(), true));
        }
        return Math.min(maxPause, time.owed(thisRequest ? spent.nanos() : 0, System.nanoTime()));
    }

    /** A realm removed: nothing of it is held any more. */
    static void forget(String realmId) {
        REALMS.remove(realmId);
    }
}
