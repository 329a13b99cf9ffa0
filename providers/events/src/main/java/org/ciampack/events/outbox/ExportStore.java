package org.ciampack.events.outbox;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.ciampack.common.FirstUseRows;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** What the admin API reads and changes in the export tables: route state, backlog figures, dead rows, replays. */
public final class ExportStore {

    private static final int REPLAY_PAGE = 500;

    private final KeycloakSession session;
    private final EntityManager em;

    public ExportStore(KeycloakSession session) {
        this.session = session;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** Delivery figures of a realm's routes: route name -> status -> {count, oldest event time}. */
    public Map<String, Map<String, long[]>> figures(String realmId) {
        Map<String, Map<String, long[]>> figures = new HashMap<>();
        for (Object[] row : em.createNamedQuery("ciamDelivery.counts", Object[].class)
                .setParameter("realmId", realmId).getResultList()) {
            figures.computeIfAbsent((String) row[0], name -> new HashMap<>())
                    .put((String) row[1], new long[] {((Number) row[2]).longValue(), ((Number) row[3]).longValue()});
        }
        return figures;
    }

    /** The realm's events not yet handed to its routes. */
    public long notFannedOut(String realmId) {
        return em.createQuery("select count(o) from OutboxEntity o where o.fannedOut = false and o.realmId = :realmId",
                Long.class).setParameter("realmId", realmId).getSingleResult();
    }

    public RouteStateEntity state(String realmId, String route) {
        return em.find(RouteStateEntity.class, new RouteStateEntity.Key(realmId, route));
    }

    /**
     * The route's state row, made if missing, and locked until the admin's change commits: the entity is written back
     * whole, so a delivery round recording the route's health, or a node taking its lease, must not change it in
     * between (the round locks it too). The dispatcher makes the row as well (on its first round of a new route), so
     * it is made in a transaction of its own: losing that race must not fail the admin's request.
     */
    public RouteStateEntity stateForChange(String realmId, String route) {
        RouteStateEntity state = state(realmId, route);
        if (state != null) {
            em.refresh(state, LockModeType.PESSIMISTIC_WRITE);
            return state;
        }
        return FirstUseRows.ensureAndLock(session, RouteStateEntity.class, new RouteStateEntity.Key(realmId, route),
                () -> new RouteStateEntity(realmId, route), LockModeType.PESSIMISTIC_WRITE);
    }

    public List<DeliveryEntity> dead(String realmId, String route, int first, int max) {
        return em.createNamedQuery("ciamDelivery.dead", DeliveryEntity.class)
                .setParameter("realmId", realmId).setParameter("route", route)
                .setFirstResult(first).setMaxResults(max).getResultList();
    }

    /** Puts one dead delivery back in the queue; false when there is no such dead delivery. */
    public boolean replayDead(String realmId, String route, String eventId) {
        List<DeliveryEntity> found = em.createNamedQuery("ciamDelivery.find", DeliveryEntity.class)
                .setParameter("realmId", realmId).setParameter("route", route).setParameter("eventId", eventId)
                .getResultList();
        if (found.isEmpty() || !DeliveryEntity.DEAD.equals(found.get(0).getStatus())) {
            return false;
        }
        found.get(0).replay(System.currentTimeMillis());
        return true;
    }

    public int replayAllDead(String realmId, String route) {
        return em.createNamedQuery("ciamDelivery.replayDead").setParameter("realmId", realmId)
                .setParameter("route", route).setParameter("now", System.currentTimeMillis()).executeUpdate();
    }

    /**
     * How many handed-out events of {@code realmIds} lie in the range, {@code from} inclusive, {@code to} exclusive
     * (the fan-out gives the others to the routes).
     */
    public long countInRange(List<String> realmIds, long from, long to) {
        return em.createNamedQuery("ciamOutbox.countInRange", Long.class)
                .setParameter("realmIds", realmIds).setParameter("from", from).setParameter("to", to).getSingleResult();
    }

    /**
     * Queues the handed-out events of {@code realmIds} from {@code from} (inclusive) to {@code to} (exclusive) that the
     * route takes, again: new deliveries for events that have none (never had, or delivered and gone), kept delivered or
     * dead ones back to pending. Returns how many.
     * Reads the range a page at a time and lets go of each page once it is written, so a long range does not pile
     * up in memory.
     */
    public int replayRange(String routeRealmId, String route, List<String> realmIds, long from, long to,
                           Predicate<OutboxRecord> takes) {
        long now = System.currentTimeMillis();
        int queued = 0;
        for (int first = 0; ; first += REPLAY_PAGE) {
            List<OutboxEntity> page = em.createNamedQuery("ciamOutbox.inRange", OutboxEntity.class)
                    .setParameter("realmIds", realmIds).setParameter("from", from).setParameter("to", to)
                    .setFirstResult(first).setMaxResults(REPLAY_PAGE).getResultList();
            List<Object> done = new ArrayList<>(page);
            for (OutboxEntity row : page) {
                OutboxRecord event = row.record();
                if (!takes.test(event)) {
                    continue;
                }
                List<DeliveryEntity> existing = em.createNamedQuery("ciamDelivery.find", DeliveryEntity.class)
                        .setParameter("realmId", routeRealmId).setParameter("route", route)
                        .setParameter("eventId", event.id()).getResultList();
                if (existing.isEmpty()) {
                    DeliveryEntity delivery = DeliveryEntity.queuedByAdmin(UUID.randomUUID().toString(), routeRealmId, route, event, now);
                    em.persist(delivery);
                    done.add(delivery);
                    queued++;
                } else {
                    done.addAll(existing);
                    if (!DeliveryEntity.PENDING.equals(existing.get(0).getStatus())) {
                        existing.get(0).replay(now);
                        queued++;
                    }
                }
            }
            em.flush();
            done.forEach(em::detach);
            if (page.size() < REPLAY_PAGE) {
                return queued;
            }
        }
    }

    /**
     * A removed route takes its deliveries and state with it; the state row first, as a delivery round locks it before
     * the route's delivery rows (one lock order, no deadlock with a round under way).
     */
    public void forgetRoute(String realmId, String route) {
        em.createNamedQuery("ciamRouteState.deleteRoute").setParameter("realmId", realmId).setParameter("route", route)
                .executeUpdate();
        em.createNamedQuery("ciamDelivery.deleteRoute").setParameter("realmId", realmId).setParameter("route", route)
                .executeUpdate();
    }
}
