package org.ciampack.events.dispatch;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ciampack.events.outbox.DeliveryEntity;
import org.ciampack.events.outbox.OutboxEntity;
import org.ciampack.events.outbox.OutboxRecord;
import org.ciampack.events.route.Route;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Hands new outbox rows to the routes that take them: one delivery row per event and route. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED} where the database has it, so nodes fan out different rows side by side; the
 * unique (route, event) key is the last guard against a row handed out twice.
 */
final class FanOut {

    /** Hibernate's lock timeout meaning SKIP LOCKED (LockOptions.SKIP_LOCKED). */
    private static final int SKIP_LOCKED = -2;

    private FanOut() {
    }

    /** Fans out up to {@code limit} rows; returns how many outbox rows it took. */
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
        Map<String, List<OpenRoute>> targets = new HashMap<>();
        long now = System.currentTimeMillis();
        List<String> fannedOut = new ArrayList<>(rows.size());
        for (OutboxEntity row : rows) {
            OutboxRecord event = row.record();
            fannedOut.add(event.id());
            for (OpenRoute target : targets.computeIfAbsent(event.realmId(), realmId -> targets(session, realmId, registry))) {
                Route route = target.route;
                if (route.enabled() && route.events().accepts(event)) {
                    if (target.throttle.admit(event.eventType(), now)) {
                        em.persist(new DeliveryEntity(UUID.randomUUID().toString(), target.realmId, route.name(), event, now));
                    } else {
                        ExportMetrics.throttled(target.realmName, route.name());
                    }
                }
            }
        }
        em.createNamedQuery("ciamOutbox.markFannedOut").setParameter("ids", fannedOut).executeUpdate();
        return rows.size();
    }

    private static List<OpenRoute> targets(KeycloakSession session, String realmId, RouteRegistry registry) {
        RealmModel realm = session.realms().getRealm(realmId);
        return realm == null ? List.of() : registry.targets(realm);
    }
}
