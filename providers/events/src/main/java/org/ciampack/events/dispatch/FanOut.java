package org.ciampack.events.dispatch;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.ciampack.events.outbox.DeliveryEntity;
import org.ciampack.events.outbox.KeptForReplay;
import org.ciampack.events.outbox.OutboxEntity;
import org.ciampack.events.outbox.OutboxRecord;
import org.ciampack.events.route.Route;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Hands new outbox rows to the routes that take them: one delivery row per event and route. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED} where the database has it, so nodes fan out different rows side by side, and
 * marked handed out in the same transaction (or deleted, when no route wants them and they are not
 * {@linkplain KeptForReplay kept for replay}); the unique (event, route) key is a last guard while a delivery is
 * pending (a delivered one's row is gone).
 */
final class FanOut {

    /** Hibernate's lock timeout meaning SKIP LOCKED (LockOptions.SKIP_LOCKED). */
    private static final int SKIP_LOCKED = -2;

    private FanOut() {
    }

    /**
     * Fans out up to {@code limit} rows; returns how many it handed out or let go. A row of a realm whose routes this
     * node has not read as they are now (one saved since the tick's refresh) waits for the next tick: only then can
     * it tell which routes want the row.
     */
    static int batch(KeycloakSession session, int limit, RouteRegistry registry) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        List<OutboxEntity> rows = em.createNamedQuery("ciamOutbox.notFannedOut", OutboxEntity.class)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .setMaxResults(limit)
                .getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        Map<String, RealmView> realms = new HashMap<>();
        List<String> fannedOut = new ArrayList<>(rows.size());
        List<String> unwanted = new ArrayList<>();
        for (OutboxEntity row : rows) {
            OutboxRecord event = row.record();
            RealmView view = realms.computeIfAbsent(event.realmId(),
                    realmId -> RealmView.of(session, realmId, registry));
            if (view.realm() != null && !view.current()) {
                continue;
            }
            EventRouting routing = routing(view.targets(), view.unreadable(), event.kind(), event.eventType(),
                    event.clientId());
            if (!event.isAdmin() && routing.letsGoUserEvent(view.realm(), event.eventType())) {
                unwanted.add(event.id());
            } else {
                fannedOut.add(event.id());
                routing.writeDeliveries(session, event);
            }
        }
        if (!fannedOut.isEmpty()) {
            em.createNamedQuery("ciamOutbox.markFannedOut").setParameter("ids", fannedOut).executeUpdate();
        }
        if (!unwanted.isEmpty()) {
            em.createNamedQuery("ciamOutbox.deleteIds").setParameter("ids", unwanted).executeUpdate();
        }
        return fannedOut.size() + unwanted.size();
    }

    /**
     * Whether the fan-out lets a row go rather than hand it out: a user event of an existing realm that no route wants
     * and that is not {@linkplain KeptForReplay kept for replay}. (A removed realm's rows are marked, with no routes.)
     */
    static boolean drops(boolean realmExists, boolean admin, boolean wanted, BooleanSupplier keptForReplay) {
        return realmExists && !admin && !wanted && !keptForReplay.getAsBoolean();
    }

    /**
     * The routes that take an event about to be written, when this node's routes are the realm's current ones;
     * unknown otherwise (the dispatcher then fans the row out on its next tick).
     */
    static EventRouting routing(KeycloakSession session, RealmModel realm, String kind, String eventType,
                                String clientId, RouteRegistry registry) {
        if (realm == null || !registry.current(session, realm)) {
            return EventRouting.UNKNOWN;
        }
        return routing(registry.targets(realm), registry.hasUnreadable(realm), kind, eventType, clientId);
    }

    /** Of a realm's open routes, the enabled ones that take the event, and whether any (enabled or not) wants it. */
    private static EventRouting routing(List<OpenRoute> targets, boolean unreadable, String kind, String eventType,
                                        String clientId) {
        List<OpenRoute> takers = new ArrayList<>();
        boolean wanted = unreadable;
        for (OpenRoute target : targets) {
            if (target.route.events().accepts(kind, eventType, clientId)) {
                wanted = true;
                if (target.route.enabled()) {
                    takers.add(target);
                }
            }
        }
        return new EventRouting(takers, wanted);
    }

    /** A realm as one fan-out batch sees it; a removed realm has no routes, and its rows are only marked. */
    private record RealmView(RealmModel realm, List<OpenRoute> targets, boolean unreadable, boolean current) {

        static RealmView of(KeycloakSession session, String realmId, RouteRegistry registry) {
            RealmModel realm = session.realms().getRealm(realmId);
            return realm == null ? new RealmView(null, List.of(), true, false)
                    : new RealmView(realm, registry.targets(realm), registry.hasUnreadable(realm),
                            registry.current(session, realm));
        }
    }

    /**
     * One delivery row per route that takes the event ({@code takers}), within the route's rate. A transaction that
     * rolls back wrote no event: the routes get their tokens back.
     */
    static void deliver(KeycloakSession session, OutboxRecord event, List<OpenRoute> takers, long now) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        List<Throttle> admitted = new ArrayList<>();
        for (OpenRoute target : takers) {
            Route route = target.route;
            if (target.throttle.admit(event.eventType(), now)) {
                em.persist(new DeliveryEntity(UUID.randomUUID().toString(), target.realmId, route.name(), event, now));
                if (target.throttle.limits()) {
                    admitted.add(target.throttle);
                }
            } else {
                ExportMetrics.throttled(target.realmName, route.name());
            }
        }
        if (!admitted.isEmpty()) {
            session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
                @Override
                protected void commitImpl() {
                    // written: the tokens are spent
                }

                @Override
                protected void rollbackImpl() {
                    admitted.forEach(throttle -> throttle.giveBack(event.eventType()));
                }
            });
        }
    }
}
