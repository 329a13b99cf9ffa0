package org.ciampack.federation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;

/**
 * A failed sign-in takes as long whoever it was for: an unknown address, a customer of Keycloak's own, or a legacy
 * customer whose old hash (bcrypt, Argon2, PBKDF2: often slower than the realm's own) was checked, looked up and
 * imported first. Otherwise its time tells which addresses are legacy customers. All legacy work of a request is
 * timed. A failed legacy password check counts from its start to the end of the realm's own hash that follows it, less
 * that hash's typical time, which every failure pays: what a memory-hard hash costs after it (the collector's work on
 * its garbage) is legacy work too. Each such failure sets the realm's time ({@link LegacyCheckTime}), and a failed
 * sign-in in a realm where this node has checked legacy passwords, or whose legacy store sets a floor, is held until
 * it has spent that long on legacy work and waiting, never longer than the bound.
 */
final class EqualFailureTime {

    /** The longest hold, unless the operator sets another (the listener factory's {@code max-pause-millis}). */
    static final Duration DEFAULT_MAX_PAUSE = Duration.ofSeconds(1);

    private static volatile long maxPause = DEFAULT_MAX_PAUSE.toNanos();
    private static final Map<String, LegacyCheckTime> REALMS = new ConcurrentHashMap<>();
    /** How long each realm's own hash of a wrong password usually takes on this node. */
    private static final Map<String, TypicalTime> REALM_HASHES = new ConcurrentHashMap<>();
    /** The node's clock (nanoTime); unit tests turn one of their own. */
    static volatile LongSupplier clock = System::nanoTime;
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
        /** A check matched: a failure later in the request (a refusal, a wrong code) is no wrong password. */
        boolean matched;
        /** The match is followed by no hash of the realm's own (federated mode: nothing to migrate). */
        boolean matchWithoutRealmHash;
        /** The realm's own hash of the wrong password, which every failure pays, and when the last one ended. */
        long realmHash;
        long realmHashEnded;
        /** A second failure in the same request owes nothing. */
        boolean held;

        Spent(KeycloakTransactionManager transaction) {
            this.transaction = transaction;
        }

        boolean current() {
            return transaction.isActive();
        }

        /**
         * The legacy part of a failure. After a wrong password: from the check's start to the end
         * of the realm's own hash that follows it (what the collector does about a memory-hard hash's garbage falls
         * there), less that hash's typical time, which an unknown address's hash takes too (less this one's would
         * favour the fast ones: on average, legacy failures would answer sooner). After a match: the legacy work
         * timed (the migration included), less a typical realm hash, which the migration made or, in federated
         * mode, the failure waits for instead, as a wrong password's hashes one. (A match of an imported hash is
         * followed by Keycloak's own re-hash, as a wrong one by the realm's: its check alone counts.)
         */
        long legacy(long typicalRealmHash) {
            if (matched) {
                return nanos - (matchWithoutRealmHash || realmHash > 0 ? typicalRealmHash : 0);
            }
            if (!checked || realmHash == 0) { // no check, or no hash of the realm's own after it: what was timed
                return nanos;
            }
            return beforeCheck + (realmHashEnded - checkStarted) - typicalRealmHash;
        }
    }

    private EqualFailureTime() {
    }

    static void maxPause(Duration pause) {
        maxPause = pause.toNanos();
    }

    /** Legacy work of this request that is no password check: a lookup, an import. */
    static <T> T timed(KeycloakSession session, Supplier<T> work) {
        long started = clock.getAsLong();
        try {
            return work.get();
        } finally {
            spent(session).nanos += clock.getAsLong() - started;
        }
    }

    /**
     * A password check against a legacy hash (the database asked, the hash compared). A match sets the realm's time
     * at once, as a successful sign-in sends no failure; a mismatch sets it at its failure's event, counted to there.
     */
    static boolean check(KeycloakSession session, String realmId, BooleanSupplier check) {
        Spent spent = spent(session);
        LegacyCheckTime time = realm(realmId);
        long started = clock.getAsLong();
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
            long now = clock.getAsLong();
            spent.nanos += now - started;
            if (matches) {
                spent.matched = true;
                if (!spent.held) {
                    time.record(spent.nanos, now);
                }
            }
        }
    }

    /**
     * A legacy password matched and no hash of the realm's own follows (federated mode: nothing to migrate). A
     * failure later in the request, e.g. the risk step's refusal, waits as long as that hash would take, or a right
     * password would answer faster than a wrong one.
     */
    static void matchWithoutRealmHash(KeycloakSession session) {
        spent(session).matchWithoutRealmHash = true;
    }

    /**
     * The realm's own hash of a password (a wrong one, as Keycloak hashes for an unknown address; a migrated one):
     * timed, and not legacy work.
     */
    static <T> T realmHash(KeycloakSession session, String realmId, Supplier<T> hash) {
        long started = clock.getAsLong();
        T hashed = hash.get();
        long ended = clock.getAsLong();
        long took = ended - started;
        Spent spent = spent(session);
        spent.realmHash += took;
        spent.realmHashEnded = ended;
        REALM_HASHES.computeIfAbsent(realmId, id -> new TypicalTime()).record(took);
        return hashed;
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
        return owed(realmId, 0);
    }

    /**
     * The same in a realm whose failures take at least {@code floor} nanoseconds (the admin's setting on its legacy
     * store), whether or not this node has checked a legacy password there yet.
     */
    static long owed(String realmId, long floor) {
        Spent spent = SPENT.get();
        if (spent != null && !spent.current()) {
            SPENT.remove();
            spent = null;
        }
        LegacyCheckTime learned = realmId == null ? null : REALMS.get(realmId);
        if (learned == null && floor <= 0 || spent != null && spent.held) {
            return 0;
        }
        LegacyCheckTime time = learned == null ? realm(realmId) : learned;
        long now = clock.getAsLong();
        // never over the bound: a legacy customer's own check up to it is not held further, so neither are others
        long level = Math.min(maxPause, Math.max(floor, time.held(now)));
        if (spent == null) {
            return level;
        }
        spent.held = true;
        TypicalTime realmHash = REALM_HASHES.get(realmId);
        long legacy = spent.legacy(realmHash == null ? 0 : realmHash.nanos());
        // held to the level before it: a check a little slower than those before does not show, nor does it start
        // a new level that the others only reach after it
        long owed = Math.max(0, level - legacy);
        if (spent.checked && !spent.matched) {
            time.record(legacy, now);
        }
        return owed;
    }

    /** A realm removed: nothing of it is held any more. */
    static void forget(String realmId) {
        REALMS.remove(realmId);
        REALM_HASHES.remove(realmId);
    }
}
