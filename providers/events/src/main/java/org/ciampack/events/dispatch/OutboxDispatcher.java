package org.ciampack.events.dispatch;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ciampack.events.outbox.DeliveryEntity;
import org.ciampack.events.outbox.OutboxRecord;
import org.ciampack.events.outbox.RouteStateEntity;
import org.ciampack.events.sink.ExportSinkFactory;
import org.ciampack.events.sink.SinkTimeouts;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The background side of the export, one per node. A ticker fans new outbox rows out to the routes, then starts a
 * delivery round for every route whose lease this node holds (one node per route at a time, so each user's events
 * stay in order across a cluster; a dead node's lease runs out and another node takes over), and now and then
 * refreshes the backlog gauges and purges what is past its retention.
 */
public final class OutboxDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);
    private static final int FAN_OUT_BATCH = 500;
    private static final Duration ROUND_BUDGET = Duration.ofSeconds(10);
    private static final Duration GAUGE_EVERY = Duration.ofSeconds(15);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    private static final int PURGE_BATCH = 1000;
    private static final Duration PURGE_SLICE = Duration.ofSeconds(2);

    private final KeycloakSessionFactory factory;
    private final DispatcherSettings settings;
    private final String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
    private final RouteRegistry registry;
    private final Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(named("ciam-export-ticker"));
    /** Renews the leases of routes whose rounds are sending: a thread of its own, so a slow renewal delays no tick. */
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(named("ciam-export-lease"));
    /**
     * How long past a round's deadline its lease is renewed at most: the longest a send begun may take (connecting to
     * two addresses, then the answer). A send that still hangs then gives the route up to another node.
     */
    private static final Duration LONGEST_SEND = Duration.ofMillis(2L * SinkTimeouts.MAX_CONNECT_MILLIS
            + SinkTimeouts.MAX_READ_MILLIS);
    private int ticks;
    private final ExecutorService rounds;
    private static final int SEND_THREADS = 16;
    private final ExecutorService lanes = Executors.newFixedThreadPool(SEND_THREADS, named("ciam-export-send"));
    private final RealmShares shares;
    private Instant lastGauges = Instant.EPOCH;
    private Instant nextPurge = Instant.EPOCH;
    private Purge purge = new Purge();

    public OutboxDispatcher(KeycloakSessionFactory factory, DispatcherSettings settings) {
        this.factory = factory;
        this.settings = settings;
        this.registry = new RouteRegistry(settings.crossRealmRoutes());
        this.rounds = Executors.newFixedThreadPool(settings.threads(), named("ciam-export-route"));
        this.shares = new RealmShares(settings.threads(), SEND_THREADS);
    }

    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, 1000, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("CIAM event export dispatcher %s started (%d route threads, poll every %d ms)", nodeId,
                settings.threads(), settings.pollInterval().toMillis());
    }

    private void tick() {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, registry::refresh);
            fanOut();
            wakeResumed();
            List<OpenRoute> all = new ArrayList<>(registry.all());
            shares.realmsWithRoutes((int) all.stream().map(open -> open.realmId).distinct().count());
            // Each tick starts at another route: where a realm's share is full, its routes take turns.
            Collections.rotate(all, -(ticks++ % Math.max(1, all.size())));
            for (OpenRoute open : all) {
                String key = RouteRegistry.key(open.realmId, open.route.name());
                if (!open.route.enabled() || open.waiting(Instant.now()) || !running.add(key)) {
                    continue;
                }
                if (!shares.startRound(open.realmId)) {
                    running.remove(key); // the realm's other routes hold its share of the route threads: next tick
                    continue;
                }
                try {
                    rounds.submit(() -> {
                        try {
                            deliver(open);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "Realm %s, export route %s: delivery round failed", open.realmName,
                                    open.route.name());
                        } finally {
                            shares.endRound(open.realmId);
                            running.remove(key);
                        }
                    });
                } catch (RejectedExecutionException stopping) {
                    shares.endRound(open.realmId);
                    running.remove(key);
                }
            }
            Instant now = Instant.now();
            if (now.isAfter(lastGauges.plus(GAUGE_EVERY))) {
                lastGauges = now;
                registry.takeChanged();
                KeycloakModelUtils.runJobInTransaction(factory, this::refreshGauges);
            } else if (registry.takeChanged()) {
                gaugesOfOpenRoutes(); // a route added or removed shows in (or leaves) the gauges now, with no query
            }
            if (!now.isBefore(nextPurge) && purgeSlice()) {
                nextPurge = Instant.now().plus(PURGE_EVERY);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "CIAM event export: dispatcher tick failed; next tick in %d ms", settings.pollInterval().toMillis());
        }
    }

    /**
     * Which routes take an event about to be written ({@code kind} {@link OutboxRecord#USER} or
     * {@link OutboxRecord#ADMIN}), when this node's routes are the realm's current ones; unknown when they are not
     * (the ticker then fans the row out).
     */
    public EventRouting routing(KeycloakSession session, RealmModel realm, String kind, String eventType, String clientId) {
        return FanOut.routing(session, realm, kind, eventType, clientId, registry);
    }

    /**
     * Ends the wait of a route an admin resumed. A route waits after a round where its receiver looked down, and
     * such a round marks the route failing; a resume clears the mark (on any node; so does another node's round
     * that got through after taking the route over), so a waiting route whose mark is gone goes on at once, with the
     * events it held for a retry due now, instead of after the rest of its wait.
     */
    private void wakeResumed() {
        Instant now = Instant.now();
        List<OpenRoute> waiting = registry.all().stream().filter(open -> open.waiting(now)).toList();
        if (waiting.isEmpty()) {
            return;
        }
        List<OpenRoute> resumed = new ArrayList<>();
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
            for (OpenRoute open : waiting) {
                RouteStateEntity state = em.find(RouteStateEntity.class,
                        new RouteStateEntity.Key(open.realmId, open.route.name()));
                if (state != null && state.getFailingSince() == null) {
                    resumed.add(open);
                }
            }
        });
        for (OpenRoute open : resumed) {
            retryNow(open);
            open.wake();
        }
    }

    /** The route's events waiting for a retry are due now: by id, a batch per short transaction. */
    private void retryNow(OpenRoute open) {
        AtomicInteger batch = new AtomicInteger(PURGE_BATCH);
        while (batch.get() == PURGE_BATCH) {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
                long now = System.currentTimeMillis();
                List<String> ids = em.createNamedQuery("ciamDelivery.waitingIds", String.class)
                        .setParameter("realmId", open.realmId).setParameter("route", open.route.name())
                        .setParameter("now", now).setMaxResults(PURGE_BATCH).getResultList();
                if (!ids.isEmpty()) {
                    em.createNamedQuery("ciamDelivery.dueNow").setParameter("ids", ids).setParameter("now", now)
                            .executeUpdate();
                }
                batch.set(ids.size());
            });
        }
    }

    /** Fans out until no new rows are left, or for two seconds at most so deliveries get their turn. */
    private void fanOut() {
        Instant until = Instant.now().plusSeconds(2);
        AtomicInteger taken = new AtomicInteger(FAN_OUT_BATCH);
        while (taken.get() == FAN_OUT_BATCH && Instant.now().isBefore(until)) {
            KeycloakModelUtils.runJobInTransaction(factory, session -> taken.set(FanOut.batch(session, FAN_OUT_BATCH, registry)));
        }
    }

    /**
     * Delivery rounds for one route while this node holds its lease and full rounds are due: ten seconds at most, after
     * which no send starts (a send begun may still wait for its receiver's timeouts, its lease renewed meanwhile). A
     * round that was not full has caught up: what arrives meanwhile waits for the next tick, so a steady trickle of
     * events is sent in one round per tick, not in many small rounds that each pay for the lease and the queries.
     */
    private void deliver(OpenRoute open) {
        Instant until = Instant.now().plus(ROUND_BUDGET);
        long deadline = System.nanoTime() + ROUND_BUDGET.toNanos();
        while (Instant.now().isBefore(until)) {
            Round round = new Round();
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                if (!takeLease(session, open)) {
                    return;
                }
                RouteRound.DuePage page = RouteRound.due(session, open, settings.roundEvents(),
                        eventRealmId -> registry.takes(session, open, eventRealmId));
                round.due = page.events();
                round.full = page.full();
                if (!round.due.isEmpty()) {
                    round.openError = openSink(session, open);
                }
            });
            if (round.due == null || round.due.isEmpty()) {
                return;
            }
            RouteRound sending = new RouteRound(open, deadline);
            // A send started before the deadline may wait for the receiver's timeouts past the lease: renewed meanwhile,
            // so no other node takes the route over and sends the same events again.
            // Often enough that a lease lost (a pause, another node) stops the round's sends within seconds.
            long every = Math.min(settings.lease().toMillis() / 3, 2_000);
            long renewUntil = deadline + LONGEST_SEND.toNanos();
            ScheduledFuture<?> renewal;
            try {
                renewal = leases.scheduleWithFixedDelay(() -> {
                    if (!renewLease(open, renewUntil)) {
                        sending.leaseLost();
                    }
                }, every, every, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                return; // the node is stopping: the events are due wherever the route goes on
            }
            try {
                sending.send(round.due, round.openError, lanes, shares);
            } finally {
                renewal.cancel(false);
            }
            KeycloakModelUtils.runJobInTransaction(factory, session -> sending.record(session, round.due,
                    !settings.keepDelivered().isZero()));
            if (sending.delivered() == 0 && sending.failed() > 0) {
                if (sending.receiverDown()) {
                    open.roundFailed(Instant.now());
                }
                return; // else only one customer's event failed: it waits for its own retry, the route does not
            }
            open.roundSucceeded();
            if (!round.full) {
                return;
            }
        }
    }

    private static final class Round {
        List<RouteRound.Due> due;
        boolean full;
        String openError;
    }

    private String openSink(KeycloakSession session, OpenRoute open) {
        ExportSinkFactory sinkFactory = (ExportSinkFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(ExportSinkFactory.class, open.route.sink());
        if (sinkFactory == null) {
            return "no sink '" + open.route.sink() + "' is installed";
        }
        RealmModel realm = session.realms().getRealm(open.realmId);
        try {
            open.open(session, realm, sinkFactory);
            return null;
        } catch (RuntimeException e) {
            LOG.warnf("Realm %s, export route %s: cannot open the %s sink: %s", open.realmName, open.route.name(),
                    open.route.sink(), e.getMessage());
            return "cannot open sink: " + e.getMessage();
        }
    }

    /**
     * Renews the route's lease while a send begun may still wait for its receiver; false when this node no longer
     * holds it (another node took it over, or the route was paused). A renewal that fails to reach the database is
     * not taken for a loss: it is tried again before the lease runs out.
     */
    private boolean renewLease(OpenRoute open, long until) {
        if (System.nanoTime() - until > 0) {
            return true;
        }
        try {
            AtomicInteger renewed = new AtomicInteger();
            KeycloakModelUtils.runJobInTransaction(factory, session -> renewed.set(session
                    .getProvider(JpaConnectionProvider.class).getEntityManager()
                    .createNamedQuery("ciamRouteState.renewLease")
                    .setParameter("until", System.currentTimeMillis() + settings.lease().toMillis())
                    .setParameter("realmId", open.realmId)
                    .setParameter("route", open.route.name())
                    .setParameter("owner", nodeId)
                    .executeUpdate()));
            return renewed.get() > 0;
        } catch (RuntimeException e) {
            LOG.debugf(e, "Realm %s, export route %s: lease not renewed", open.realmName, open.route.name());
            return true;
        }
    }

    /** Takes or renews the route's lease; false when another node holds it or the route is paused. */
    private boolean takeLease(KeycloakSession session, OpenRoute open) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        RouteStateEntity state = em.find(RouteStateEntity.class, new RouteStateEntity.Key(open.realmId, open.route.name()));
        if (state == null) {
            em.persist(new RouteStateEntity(open.realmId, open.route.name()));
            em.flush();
        } else if (state.isPaused()) {
            return false;
        }
        long now = System.currentTimeMillis();
        return em.createNamedQuery("ciamRouteState.takeLease")
                .setParameter("owner", nodeId)
                .setParameter("until", now + settings.lease().toMillis())
                .setParameter("now", now)
                .setParameter("realmId", open.realmId)
                .setParameter("route", open.route.name())
                .executeUpdate() == 1;
    }

    /** Gauges for the routes open now: a new one's at zero, a removed one's gone, the others' figures kept. */
    private void gaugesOfOpenRoutes() {
        Set<io.micrometer.core.instrument.Tags> open = new HashSet<>();
        for (OpenRoute route : registry.all()) {
            ExportMetrics.opened(route.realmName, route.route.name());
            open.add(ExportMetrics.tags(route.realmName, route.route.name()));
        }
        ExportMetrics.removeAllBut(open);
    }

    private void refreshGauges(KeycloakSession session) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        Map<String, long[]> figures = new HashMap<>();
        long now = System.currentTimeMillis();
        for (Object[] row : em.createNamedQuery("ciamDelivery.allCounts", Object[].class).getResultList()) {
            long[] values = figures.computeIfAbsent(row[0] + "/" + row[1], key -> new long[3]);
            long count = ((Number) row[3]).longValue();
            if ("PENDING".equals(row[2])) {
                values[0] = count;
                values[1] = Math.max(0, (now - ((Number) row[4]).longValue()) / 1000);
            } else if ("DEAD".equals(row[2])) {
                values[2] = count;
            }
        }
        Set<io.micrometer.core.instrument.Tags> seen = new HashSet<>();
        for (OpenRoute open : registry.all()) {
            long[] values = figures.getOrDefault(RouteRegistry.key(open.realmId, open.route.name()), new long[3]);
            ExportMetrics.backlog(open.realmName, open.route.name(), values[0], values[1], values[2]);
            seen.add(ExportMetrics.tags(open.realmName, open.route.name()));
        }
        ExportMetrics.removeAllBut(seen);
    }

    /** What one purge pass removed so far; a pass may span several ticks. */
    private static final class Purge {
        final Instant began = Instant.now();
        int delivered;
        int dead;
        int ofRemovedRoutes;
        int events;
        int batches;
        long longestBatchMillis;
    }

    /**
     * A slice of the retention purge: batches of at most {@value #PURGE_BATCH} rows, each in its own short
     * transaction, for {@link #PURGE_SLICE} at most, so a large expired backlog never holds one long transaction nor
     * the ticker. Returns true when the pass has found nothing more to remove.
     */
    private boolean purgeSlice() {
        Instant until = Instant.now().plus(PURGE_SLICE);
        long now = System.currentTimeMillis();
        while (Instant.now().isBefore(until)) {
            if (purgeBatch(now) == 0) {
                if (purge.batches > 1) {
                    LOG.infof("CIAM event export: purged %d delivered, %d dead deliveries and %d events past "
                                    + "retention, and %d rows of removed routes, in %d batches (longest %d ms) over %d s",
                            purge.delivered, purge.dead, purge.events, purge.ofRemovedRoutes, purge.batches - 1,
                            purge.longestBatchMillis,
                            Duration.between(purge.began, Instant.now()).toSeconds());
                }
                purge = new Purge();
                return true;
            }
        }
        return false;
    }

    /**
     * One batch of the first kind that has rows to remove: delivered and dead deliveries past retention, rows of
     * routes no realm defines any more (whose events can then go), then events past retention.
     */
    private int purgeBatch(long now) {
        long started = System.nanoTime();
        AtomicInteger removed = new AtomicInteger();
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
            int delivered = deleteExpired(em, em.createNamedQuery("ciamDelivery.expired", String.class)
                    .setParameter("status", DeliveryEntity.DELIVERED)
                    .setParameter("before", now - settings.keepDelivered().toMillis()), "ciamDelivery.deleteIds");
            int dead = delivered > 0 ? 0 : deleteExpired(em, em.createNamedQuery("ciamDelivery.expired", String.class)
                    .setParameter("status", DeliveryEntity.DEAD)
                    .setParameter("before", now - settings.keepDead().toMillis()), "ciamDelivery.deleteIds");
            int ofRemovedRoutes = delivered + dead > 0 ? 0 : RemovedRoutes.purgeBatch(session, PURGE_BATCH, now);
            int events = delivered + dead + ofRemovedRoutes > 0 ? 0 : deleteExpired(em,
                    em.createNamedQuery("ciamOutbox.expired", String.class)
                            .setParameter("before", now - settings.keepOutbox().toMillis()), "ciamOutbox.deleteIds");
            purge.delivered += delivered;
            purge.dead += dead;
            purge.ofRemovedRoutes += ofRemovedRoutes;
            purge.events += events;
            removed.set(delivered + dead + ofRemovedRoutes + events);
        });
        purge.batches++;
        purge.longestBatchMillis = Math.max(purge.longestBatchMillis, (System.nanoTime() - started) / 1_000_000);
        return removed.get();
    }

    private static int deleteExpired(EntityManager em, TypedQuery<String> expired, String deleteIds) {
        List<String> ids = expired.setMaxResults(PURGE_BATCH).getResultList();
        return ids.isEmpty() ? 0 : em.createNamedQuery(deleteIds).setParameter("ids", ids).executeUpdate();
    }

    public void stop() {
        ticker.shutdownNow();
        leases.shutdownNow();
        rounds.shutdown();
        lanes.shutdown();
        try {
            rounds.awaitTermination(5, TimeUnit.SECONDS);
            // Released even where a round still sends: the node is going down, and what it has not recorded is due
            // again (at least once) on the node that takes the route, at once rather than when the lease runs out.
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(JpaConnectionProvider.class)
                    .getEntityManager().createNamedQuery("ciamRouteState.releaseLeases")
                    .setParameter("owner", nodeId).executeUpdate());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debugf(e, "CIAM event export: leases not released on stop; they run out by themselves");
        }
        registry.closeAll();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
