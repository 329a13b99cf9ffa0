package org.ciampack.events.dispatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one realm's routes may hold of the node's export threads at a time while more than one realm has routes: half
 * the route threads (rounds) and half the send threads (lanes), at least one of each. A realm admin can aim a route
 * at a receiver that answers slowly or never; its rounds then wait for their timeouts, and without a cap they would
 * hold every thread and stall the export of every other realm on the node. With it, such a realm slows its own
 * export only. A node whose routes are all one realm's gives that realm every thread.
 */
final class RealmShares {

    private final int routeThreads;
    private final int sendThreads;
    private final int roundsPerRealm;
    private final int lanesPerRealm;
    private volatile boolean shared = true;
    private final Map<String, AtomicInteger> rounds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lanes = new ConcurrentHashMap<>();

    RealmShares(int routeThreads, int sendThreads) {
        this.routeThreads = routeThreads;
        this.sendThreads = sendThreads;
        this.roundsPerRealm = Math.max(1, routeThreads / 2);
        this.lanesPerRealm = Math.max(1, sendThreads / 2);
    }

    /** How many realms have routes on the node now: with one, it has every thread. */
    void realmsWithRoutes(int count) {
        shared = count > 1;
    }

    /** Whether a round of one of the realm's routes may start now; if so, {@link #endRound} when it ends. */
    boolean startRound(String realmId) {
        return take(rounds, realmId, 1, shared ? roundsPerRealm : routeThreads) == 1;
    }

    void endRound(String realmId) {
        rounds.get(realmId).addAndGet(-1);
    }

    /** Up to {@code wanted} send lanes, as many as the realm's share has free (maybe none); give them back after. */
    int takeLanes(String realmId, int wanted) {
        return take(lanes, realmId, wanted, shared ? lanesPerRealm : sendThreads);
    }

    void giveLanes(String realmId, int count) {
        if (count > 0) {
            lanes.get(realmId).addAndGet(-count);
        }
    }

    private static int take(Map<String, AtomicInteger> held, String realmId, int wanted, int limit) {
        AtomicInteger count = held.computeIfAbsent(realmId, id -> new AtomicInteger());
        while (true) {
            int taken = count.get();
            int granted = Math.min(wanted, limit - taken);
            if (granted <= 0) {
                return 0;
            }
            if (count.compareAndSet(taken, taken + granted)) {
                return granted;
            }
        }
    }
}
