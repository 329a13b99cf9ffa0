package org.ciampack.events.dispatch;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.ciampack.events.outbox.DeliveryEntity;
import org.ciampack.events.outbox.RouteStateEntity;
import org.ciampack.events.route.Route;
import org.ciampack.events.sink.ExportSink;
import org.ciampack.events.sink.OutgoingEvent;
import org.ciampack.events.sink.RetryPolicy;
import org.ciampack.events.sink.SinkAnswer;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * One delivery round of a route on the node that holds its lease: the due events, oldest first, sent in parallel
 * lanes by order key (each user's events one after the other, in order; a failure stops that user's events for the
 * round), or in batches; then every outcome recorded: delivered, retried later, or dead.
 */
final class RouteRound {

    private static final Logger LOG = Logger.getLogger(RouteRound.class);
    /**
     * A round gives up early when this many customers' sends failed and none got through: the receiver is likely down,
     * or refuses everything (a wrong secret or path), and the rest of the backlog would fail or park the same way.
     */
    private static final int GIVE_UP_AFTER = 3;
    /**
     * Customers whose sends must have failed, with none through, before the round says the receiver is down or refusing
     * everyone (the route then waits): one customer's refused event may be about that event, and waits for its own
     * retry alone.
     */
    private static final int DOWN_AFTER = 2;
    /** Held-back customers past whom a round reads at most: with more, the receiver is refusing nearly everyone. */
    private static final int MAX_HELD_KEYS = 500;
    /** Pages a round reads at most past held-back customers: a few customers' piles, not a receiver refusing all. */
    private static final int MAX_PAGES = 4;

    record Due(String id, String orderKey, int attempts, long eventTime, String payload) {
    }

    private record Result(RetryPolicy.Outcome outcome, String detail, Optional<Duration> retryAfter) {
    }

    private final OpenRoute open;
    /** No send starts after this ({@link System#nanoTime()}): what is left is due at the next round. */
    private final long deadline;
    private final Map<String, Result> results = new ConcurrentHashMap<>();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    /** The customers (order keys) whose sends the sink failed this round (to retry, or refused for good). */
    private final Set<String> failingKeys = ConcurrentHashMap.newKeySet();
    private volatile boolean unreachable;
    private volatile boolean leaseLost;

    RouteRound(OpenRoute open, long deadline) {
        this.open = open;
        this.deadline = deadline;
    }

    /** A round's due events, and whether the route had as many rows due as one round takes (more may wait). */
    record DuePage(List<Due> events, boolean full) {
    }

    /** A due row as the queue's index gives it, before its envelope is read. */
    private record Queued(String id, String orderKey, int attempts, long eventTime, String eventId) {
    }

    /**
     * {@code takesRealm}: whether the route may send an event of that realm now (a master route no longer approved to
     * take other realms' events must not send what was handed to it before: those deliveries are let go).
     */
    static DuePage due(KeycloakSession session, OpenRoute open, int limit, Predicate<String> takesRealm) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        long now = System.currentTimeMillis();
        List<Queued> page = dueRows(em, open, now, limit, null, Set.of());
        List<Due> due = new ArrayList<>();
        Set<String> held = new LinkedHashSet<>();
        for (int pages = 1; !page.isEmpty(); pages++) {
            Predicate<Queued> heldBack = heldBack(em, open, page, now);
            page.stream().filter(heldBack).map(Queued::orderKey).forEach(held::add);
            due.addAll(withPayloads(em, open, page.stream().filter(heldBack.negate()).toList(), takesRealm));
            boolean full = page.size() == limit;
            if (!full || due.size() >= limit / 2 || held.isEmpty() || held.size() > MAX_HELD_KEYS || pages == MAX_PAGES) {
                return new DuePage(due, full);
            }
            // The rows read are mostly a few customers' events behind their own retry (one customer's thousand
            // failed logins while the receiver refused their first): read on past those customers, or every round
            // would read the same rows and the route would wait for that one retry.
            page = dueRows(em, open, now, limit, page.get(page.size() - 1), held);
        }
        return new DuePage(due, false);
    }

    /** Due rows oldest first; after a row already read and past the given customers, when one is given. */
    private static List<Queued> dueRows(EntityManager em, OpenRoute open, long now, int limit, Queued after,
                                        Set<String> exceptKeys) {
        TypedQuery<Object[]> query = em.createNamedQuery(after == null ? "ciamDelivery.due" : "ciamDelivery.dueAfter",
                        Object[].class)
                .setParameter("realmId", open.realmId)
                .setParameter("route", open.route.name())
                .setParameter("now", now);
        if (after != null) {
            query.setParameter("afterTime", after.eventTime()).setParameter("afterId", after.id())
                    .setParameter("keys", List.copyOf(exceptKeys));
        }
        return query.setMaxResults(limit).getResultList().stream()
                .map(row -> new Queued((String) row[0], (String) row[1], ((Number) row[2]).intValue(),
                        ((Number) row[3]).longValue(), (String) row[4]))
                .toList();
    }

    /** The rows with their envelopes, in a second query: a join would let the database sort the whole backlog. */
    private static List<Due> withPayloads(EntityManager em, OpenRoute open, List<Queued> rows,
                                          Predicate<String> takesRealm) {
        Map<String, String> payloads = new HashMap<>();
        Set<String> refused = new HashSet<>();
        List<String> eventIds = rows.stream().map(Queued::eventId).toList();
        for (int from = 0; from < eventIds.size(); from += 500) {
            for (Object[] found : em.createNamedQuery("ciamOutbox.payloads", Object[].class)
                    .setParameter("ids", eventIds.subList(from, Math.min(eventIds.size(), from + 500)))
                    .getResultList()) {
                if (takesRealm.test((String) found[2])) {
                    payloads.put((String) found[0], (String) found[1]);
                } else {
                    refused.add((String) found[0]);
                }
            }
        }
        List<Due> due = new ArrayList<>();
        List<String> letGo = new ArrayList<>();
        for (Queued row : rows) {
            String payload = payloads.get(row.eventId());
            if (payload != null) {
                due.add(new Due(row.id(), row.orderKey(), row.attempts(), row.eventTime(), payload));
            } else if (refused.contains(row.eventId())) {
                letGo.add(row.id());
            }
        }
        if (!letGo.isEmpty()) {
            em.createNamedQuery("ciamDelivery.deletePending").setParameter("ids", letGo).executeUpdate();
            LOG.warnf("Realm %s, export route %s: %d queued event(s) of other realms let go: the route no longer may "
                    + "take them", open.realmName, open.route.name(), letGo.size());
        }
        return due;
    }

    /**
     * A customer whose earlier event is not through gets none of their later events now: an earlier delivery of the
     * route waiting for its retry, or an earlier event a node wrote without its deliveries (its dispatcher off or
     * not yet up to date; a ticker routes it within a second). Asked per customer only when such a row exists at
     * all before the latest due event (an index range, usually empty): per customer the database reads every row
     * the route has of them (delivered ones too, where the operator keeps them).
     */
    private static Predicate<Queued> heldBack(EntityManager em, OpenRoute open, List<Queued> due, long now) {
        long latest = due.stream().mapToLong(Queued::eventTime).max().orElse(0);
        boolean retrying = !em.createNamedQuery("ciamDelivery.anyWaiting", String.class)
                .setParameter("realmId", open.realmId)
                .setParameter("route", open.route.name())
                .setParameter("now", now)
                .setParameter("latest", latest)
                .setMaxResults(1)
                .getResultList().isEmpty();
        boolean unrouted = !em.createNamedQuery("ciamOutbox.anyNotFannedOut", String.class)
                .setParameter("latest", latest)
                .setMaxResults(1)
                .getResultList().isEmpty();
        Map<String, Long> waitingSince = new HashMap<>();
        List<String> keys = retrying || unrouted ? due.stream().map(Queued::orderKey).distinct().toList() : List.of();
        for (int from = 0; from < keys.size(); from += 500) {
            List<String> page = keys.subList(from, Math.min(keys.size(), from + 500));
            List<Object[]> earliest = new ArrayList<>();
            if (retrying) {
                earliest.addAll(em.createNamedQuery("ciamDelivery.waiting", Object[].class)
                        .setParameter("realmId", open.realmId)
                        .setParameter("route", open.route.name())
                        .setParameter("now", now)
                        .setParameter("keys", page)
                        .getResultList());
            }
            if (unrouted) {
                earliest.addAll(em.createNamedQuery("ciamOutbox.notFannedOutKeys", Object[].class)
                        .setParameter("keys", page)
                        .getResultList());
            }
            for (Object[] row : earliest) {
                waitingSince.merge((String) row[0], ((Number) row[1]).longValue(), Math::min);
            }
        }
        return event -> waitingSince.containsKey(event.orderKey()) && waitingSince.get(event.orderKey()) <= event.eventTime();
    }

    /**
     * Sends what is due, in as many lanes as the route asks and its realm's share of the send threads has free (in
     * this thread when none is); the sink could not be opened when {@code openError} is set, and every event fails
     * with it.
     */
    void send(List<Due> due, String openError, ExecutorService lanes, RealmShares shares) {
        if (openError != null) {
            due.forEach(event -> results.put(event.id(), new Result(RetryPolicy.Outcome.RETRY, openError, Optional.empty())));
            failed.addAndGet(due.size());
            unreachable = true;
            return;
        }
        if (open.route.batchSize() > 1) {
            sendInBatches(due);
            return;
        }
        Map<String, List<Due>> byKey = new LinkedHashMap<>();
        due.forEach(event -> byKey.computeIfAbsent(event.orderKey(), key -> new ArrayList<>()).add(event));
        int granted = shares.takeLanes(open.realmId, Math.min(open.route.concurrency(), byKey.size()));
        try {
            if (granted == 0) {
                byKey.values().forEach(this::sendInOrder);
            } else {
                sendInLanes(byKey, granted, lanes);
            }
        } finally {
            shares.giveLanes(open.realmId, granted);
        }
    }

    private void sendInLanes(Map<String, List<Due>> byKey, int laneCount, ExecutorService lanes) {
        List<List<List<Due>>> laneWork = new ArrayList<>();
        for (int i = 0; i < laneCount; i++) {
            laneWork.add(new ArrayList<>());
        }
        int next = 0;
        for (List<Due> events : byKey.values()) {
            laneWork.get(next++ % laneCount).add(events);
        }
        List<Future<?>> running = new ArrayList<>();
        for (List<List<Due>> work : laneWork) {
            running.add(lanes.submit(() -> work.forEach(this::sendInOrder)));
        }
        for (Future<?> lane : running) {
            try {
                lane.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.errorf(e.getCause(), "Export route %s: a delivery lane failed", open.route.name());
            }
        }
    }

    private void sendInOrder(List<Due> events) {
        for (Due event : events) {
            if (receiverLooksDown() || pastDeadline()) {
                return;
            }
            OutgoingEvent outgoing = render(event);
            if (outgoing == null) {
                continue;
            }
            if (!deliver(List.of(event), List.of(outgoing))) {
                return; // the user's later events wait for this one
            }
        }
    }

    private void sendInBatches(List<Due> due) {
        List<Due> batch = new ArrayList<>();
        List<OutgoingEvent> outgoing = new ArrayList<>();
        for (Due event : due) {
            if (pastDeadline()) {
                return; // the batch begun is not sent: its events are due at the next round, in order
            }
            OutgoingEvent rendered = render(event);
            if (rendered == null) {
                continue;
            }
            batch.add(event);
            outgoing.add(rendered);
            if (batch.size() == open.route.batchSize()) {
                if (!deliver(batch, outgoing)) {
                    return; // later batches may hold the same users' later events
                }
                batch = new ArrayList<>();
                outgoing = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            deliver(batch, outgoing);
        }
    }

    /** The event as the route sends it; a format that skips it, or a stored event that no longer reads, is settled. */
    private OutgoingEvent render(Due event) {
        try {
            OutgoingEvent outgoing = open.rendering().render(event.payload());
            if (outgoing == null) {
                results.put(event.id(), new Result(RetryPolicy.Outcome.DELIVERED, null, Optional.empty()));
            }
            return outgoing;
        } catch (RuntimeException e) {
            results.put(event.id(), new Result(RetryPolicy.Outcome.REJECTED, "cannot render: " + e.getMessage(),
                    Optional.empty()));
            return null;
        }
    }

    private boolean deliver(List<Due> events, List<OutgoingEvent> outgoing) {
        ExportSink sink = open.sink();
        if (sink == null) {
            events.forEach(event -> results.put(event.id(), new Result(RetryPolicy.Outcome.RETRY, "sink closed",
                    Optional.empty())));
            unreachable = true;
            return false;
        }
        long started = System.nanoTime();
        SinkAnswer answer;
        try {
            answer = sink.send(outgoing);
        } catch (RuntimeException e) {
            answer = SinkAnswer.retry("sink error: " + e);
        }
        ExportMetrics.sent(open.route.sink(), Duration.ofNanos(System.nanoTime() - started));
        Result result = new Result(answer.outcome(), answer.detail(), answer.retryAfter());
        events.forEach(event -> results.put(event.id(), result));
        if (answer.isDelivered()) {
            delivered.addAndGet(events.size());
            long now = System.currentTimeMillis();
            events.forEach(event -> ExportMetrics.lag(open.route.sink(), Duration.ofMillis(Math.max(0, now - event.eventTime()))));
            return true;
        }
        failed.addAndGet(events.size());
        events.forEach(event -> failingKeys.add(event.orderKey()));
        return false;
    }

    /** No send starts any more: the round's time is up, or its node no longer holds the route's lease. */
    private boolean pastDeadline() {
        return leaseLost || System.nanoTime() - deadline > 0;
    }

    /**
     * The lease could not be renewed (another node took the route, or it was paused): no further send starts, so the
     * node that holds it now is the only one sending the route's events from here on.
     */
    void leaseLost() {
        leaseLost = true;
    }

    private boolean receiverLooksDown() {
        return delivered.get() == 0 && (unreachable || failingKeys.size() >= GIVE_UP_AFTER);
    }

    /**
     * Whether the round says the receiver is down or refusing everyone: nothing got through, and the sink could not be
     * opened or the sends of at least two customers failed. One customer's failed event alone may be about that event.
     */
    boolean receiverDown() {
        return delivered.get() == 0 && (unreachable || failingKeys.size() >= DOWN_AFTER);
    }

    int delivered() {
        return delivered.get();
    }

    int failed() {
        return failed.get();
    }

    /**
     * The route's state row, locked until the round's outcome commits: the entity is written back whole, so an
     * admin's pause or resume, or another node taking the lease, in between would be overwritten with what an earlier
     * read saw. Locked before any of the route's delivery rows is written, as an admin's pause locks it before its
     * admin event writes deliveries and a route's or realm's removal before it deletes them: one lock order, no
     * deadlock. Null when the route was removed meanwhile (the locking read then finds no row; on InnoDB it locks
     * the gap until this short transaction ends).
     */
    private RouteStateEntity lockedState(EntityManager em) {
        return em.find(RouteStateEntity.class, new RouteStateEntity.Key(open.realmId, open.route.name()),
                LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Records every outcome of the round, and the route's health (auto-pause after failing long enough). A delivered
     * event's row is marked and kept when {@code keepDelivered} (the operator keeps them some days), else deleted:
     * the route's state counts it, and a row less is a smaller queue for every later round.
     */
    void record(KeycloakSession session, List<Due> due, boolean keepDelivered) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        Route route = open.route;
        long now = System.currentTimeMillis();
        RouteStateEntity state = lockedState(em);
        if (state == null) {
            return; // the route was removed meanwhile, its deliveries with it: nothing left to record
        }
        List<String> deliveredIds = new ArrayList<>();
        int dead = 0;
        int retried = 0;
        String lastError = null;
        for (Due event : due) {
            Result result = results.get(event.id());
            if (result == null) {
                continue; // not tried this round
            }
            if (result.outcome() == RetryPolicy.Outcome.DELIVERED) {
                deliveredIds.add(event.id());
                continue;
            }
            DeliveryEntity delivery = em.find(DeliveryEntity.class, event.id());
            if (delivery == null || !DeliveryEntity.PENDING.equals(delivery.getStatus())) {
                continue;
            }
            lastError = result.detail();
            int attempts = delivery.getAttempts() + 1;
            if (result.outcome() == RetryPolicy.Outcome.REJECTED
                    || route.retry().exhausted(attempts, Instant.ofEpochMilli(event.eventTime()), Instant.ofEpochMilli(now))) {
                delivery.dead(now, result.detail());
                dead++;
            } else {
                Duration wait = route.retry().delayBefore(attempts + 1, result.retryAfter(), ThreadLocalRandom.current());
                delivery.failed(now, result.detail(), now + wait.toMillis());
                retried++;
            }
        }
        // Counted as settled here, not as sent: a node that lost its lease mid-round, or a route removed meanwhile,
        // finds its rows settled or gone and counts nothing.
        int settled = 0;
        for (int from = 0; from < deliveredIds.size(); from += 500) {
            List<String> ids = deliveredIds.subList(from, Math.min(deliveredIds.size(), from + 500));
            settled += keepDelivered
                    ? em.createNamedQuery("ciamDelivery.markDelivered").setParameter("now", now).setParameter("ids", ids)
                    .executeUpdate()
                    : em.createNamedQuery("ciamDelivery.deletePending").setParameter("ids", ids).executeUpdate();
        }
        String realm = open.realmName;
        if (!deliveredIds.isEmpty()) {
            ExportMetrics.delivered(realm, route.name(), route.sink(), deliveredIds.size());
        }
        if (retried > 0) {
            ExportMetrics.failed(realm, route.name(), route.sink(), retried);
        }
        if (dead > 0) {
            ExportMetrics.dead(realm, route.name(), route.sink(), dead);
            LOG.warnf("Realm %s, export route %s: %d event(s) parked as dead; last error: %s", realm, route.name(),
                    dead, lastError);
        }
        if (settled > 0) {
            em.createNamedQuery("ciamRouteState.countDelivered").setParameter("count", (long) settled)
                    .setParameter("now", now).setParameter("realmId", open.realmId).setParameter("route", route.name())
                    .executeUpdate();
        }
        if (delivered.get() > 0) {
            state.healthy();
        } else if (failed.get() > 0) {
            state.failing(now);
            if (!state.isPaused() && now - state.getFailingSince() >= route.autoPauseAfter().toMillis()) {
                state.pause(now, "paused automatically: failing since " + Instant.ofEpochMilli(state.getFailingSince())
                        + "; last error: " + lastError);
                LOG.warnf("Realm %s, export route %s paused automatically after failing for %s; last error: %s",
                        realm, route.name(), route.autoPauseAfter(), lastError);
            }
        }
    }
}
