package org.ciampack.federation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A wrong password takes as long whoever it was tried for: an unknown address, a customer of Keycloak's own, or a
 * legacy customer whose old hash (bcrypt, Argon2, PBKDF2: often slower than the realm's own) was checked. Otherwise
 * the time of a failed sign-in tells which addresses are legacy customers. Every legacy check is timed per realm; a
 * failed sign-in in a realm where this node has made legacy checks is held (a pause, no CPU) until it has taken as
 * long as the slowest recent check beyond what this request spent on one. Keycloak's own hash (of the password, or
 * its dummy hash for an unknown address) comes on top of each alike.
 */
final class EqualFailureTime {

    /** The longest pause: a longer check was a stall (a pause of the JVM, a swapped host), not a hash to match. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private static final Map<String, LegacyCheckTime> REALMS = new ConcurrentHashMap<>();
    /** What the request on this thread spent on legacy checks, in nanoseconds; forgotten when its session ends. */
    private static final ThreadLocal<long[]> SPENT = new ThreadLocal<>();

    private EqualFailureTime() {
    }

    /** Runs a legacy password check, timed. */
    static boolean timed(KeycloakSession session, RealmModel realm, BooleanSupplier legacyCheck) {
        long started = System.nanoTime();
        try {
            return legacyCheck.getAsBoolean();
        } finally {
            long took = System.nanoTime() - started;
            REALMS.computeIfAbsent(realm.getId(), id -> new LegacyCheckTime()).record(took);
            spent(session, took);
        }
    }

    private static void spent(KeycloakSession session, long took) {
        long[] spent = SPENT.get();
        if (spent != null) {
            spent[0] += took;
            return;
        }
        SPENT.set(new long[] {took});
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                SPENT.remove();
            }

            @Override
            protected void rollbackImpl() {
                SPENT.remove();
            }
        });
    }

    /**
     * How long the failed sign-in ending on this thread must still wait, in nanoseconds: none in a realm without
     * legacy checks on this node. What the request spent is forgotten.
     */
    static long owed(String realmId) {
        long[] spent = SPENT.get();
        SPENT.remove();
        LegacyCheckTime time = realmId == null ? null : REALMS.get(realmId);
        if (time == null) {
            return 0;
        }
        return Math.min(MAX_PAUSE.toNanos(), Math.max(0, time.nanos() - (spent == null ? 0 : spent[0])));
    }
}
