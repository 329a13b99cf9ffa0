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
 * imported first. Otherwise its time tells which addresses are legacy customers. All legacy work of a request is
 * timed. A failed legacy password check counts from its start to the failure's event, less the realm's own hash that
 * every failure pays: what a memory-hard hash costs after it (the collector's work on its garbage) is legacy work
 * too. Each such failure sets the realm's time ({@link LegacyCheckTime}), and a failed sign-in in a realm where this
 * node has checked legacy passwords is held until it has spent that long on legacy work and waiting.
 */
final class EqualFailureTime {

    /** The longest hold, unless the operator sets another (the listener factory's {@code max-pause-millis}). */
    static final Duration DEFAULT_MAX_PAUSE = Duration.ofSeconds(1);

    private static volatile long maxPause = DEFAULT_MAX_PAUSE.toNanos();
    private static final Map<String, LegacyCheckTime> REALMS = new ConcurrentHashMap<>();
    /** How long each realm's own hash of a wrong password usually takes on this node. */
    private static final Map<String, TypicalTime> REALM_HASHES = new ConcurrentHashMap<>();
    /** The legacy work of the request on this thread, until its transaction ends. */
    private static final ThreadLocal<Spent> SPENT = new ThreadLocal<>();

    /** A request's legacy work; confined to the request's thread. */
    private static final class Spent {
        final KeycloakTransactionManager transaction;
        /** Lookups, imports and password checks, each timed. */
        long nanos;
        /** When its first legacy password check started (nanoTime), and the legacy work before it. */
        boolean checked;
        long checkStarted;
        long beforeCheck;
        /** The realm's own hash of the wrong password, which every failure pays. */
        long realmHash;
        /** A second failure in the same request owes nothing. */
        boolean held;

        Spent(KeycloakTransactionManager transaction) {
            this.transaction = transaction;
        }

        boolean current() {
            return transaction.isActive();
        }

        /** The legacy part of a failure ending {@code now}. */
        long legacy(long now, long typicalRealmHash) {
            if (!checked) {
                return nanos;
            }
            return Math.max(nanos, beforeCheck + (now - checkStarted) - Math.min(realmHash, typicalRealmHash));
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
            spent(session).nanos += System.nanoTime() - started;
        }
    }

    /**
     * A password check against a legacy hash (the database asked, the hash compared). A match sets the realm's time
     * at once, as a successful sign-in sends no failure; a mismatch sets it at its failure's event, counted to there.
     */
    static boolean check(KeycloakSession session, String realmId, BooleanSupplier check) {
        Spent spent = spent(session);
        LegacyCheckTime time = realm(realmId);
        long started = System.nanoTime();
        if (!spent.checked) {
            spent.checked = true;
            spent.checkStarted = started;
            spent.beforeCheck = spent.nanos;
        }
        boolean matches = false;
        try {
            matches = check.getAsBoolean();
            return matches;
        } finally {
            long now = System.nanoTime();
            spent.nanos += now - started;
            if (matches && !spent.held) {
                time.record(spent.nanos, now);
            }
        }
    }

    /** The realm's own hash of a wrong password, as Keycloak makes for an unknown address: timed, not legacy work. */
    static void realmHash(KeycloakSession session, String realmId, Runnable hash) {
        long started = System.nanoTime();
        hash.run();
        long took = System.nanoTime() - started;
        spent(session).realmHash += took;
        REALM_HASHES.computeIfAbsent(realmId, id -> new TypicalTime()).record(took);
    }

    private static LegacyCheckTime realm(String realmId) {
        return REALMS.computeIfAbsent(realmId, id -> new LegacyCheckTime(maxPause));
    }

    /**
     * This request's legacy work. Work in a transaction nested on the same thread (an event's own, a listener's
     * lookup) belongs to the request still running. Outside a transaction there is none to hold: a throwaway.
     */
    private static Spent spent(KeycloakSession session) {
        Spent spent = SPENT.get();
        if (spent != null && spent.current()) {
            return spent;
        }
        KeycloakTransactionManager transaction = session.getTransactionManager();
        if (!transaction.isActive()) {
            return new Spent(transaction);
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
                if (current != null && current.transaction == transaction) {
                    SPENT.remove();
                }
            }
        });
        Spent started = new Spent(transaction);
        SPENT.set(started);
        return started;
    }

    /**
     * How long the failed sign-in ending on this thread must still wait, in nanoseconds: none in a realm without
     * legacy password checks on this node, none if this request was held already.
     */
    static long owed(String realmId) {
        Spent spent = SPENT.get();
        if (spent != null && !spent.current()) {
            SPENT.remove();
            spent = null;
        }
        LegacyCheckTime time = realmId == null ? null : REALMS.get(realmId);
        if (time == null || spent != null && spent.held) {
            return 0;
        }
        long now = System.nanoTime();
        if (spent == null) {
            return Math.min(maxPause, time.owed(0, now));
        }
        spent.held = true;
        TypicalTime realmHash = REALM_HASHES.get(realmId);
        long legacy = spent.legacy(now, realmHash == null ? 0 : realmHash.nanos());
        // held to the time before it: a check a little slower than those before does not show, nor does it start
        // a new level that the others only reach after it
        long owed = time.owed(legacy, now);
        if (spent.checked) {
            time.record(legacy, now);
        }
        return Math.min(maxPause, owed);
    }

    /** A realm removed: nothing of it is held any more. */
    static void forget(String realmId) {
        REALMS.remove(realmId);
        REALM_HASHES.remove(realmId);
    }
}
