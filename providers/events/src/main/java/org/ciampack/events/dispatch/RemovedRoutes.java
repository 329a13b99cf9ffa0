package org.ciampack.events.dispatch;

import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ciampack.events.outbox.RouteStateEntity;
import org.ciampack.events.route.RouteStore;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Rows of routes that no realm defines any more: the export API removes a route's deliveries and state with it, but
 * a route removed by a realm update or import, or one a request was still writing deliveries for while it was
 * removed, leaves them. Nothing would deliver them, and the events they hold would never be purged.
 * A route's rows count as left behind only when they are older than {@link #GRACE}, so a route that another node
 * has just created, and that this node's realm cache does not show yet, keeps its first deliveries; its state row
 * when no node has held its lease or paused it within that time.
 */
final class RemovedRoutes {

    static final Duration GRACE = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(RemovedRoutes.class);

    private RemovedRoutes() {
    }

    /** Removes up to {@code limit} deliveries of removed routes, else the state rows of removed routes without any. */
    static int purgeBatch(KeycloakSession session, int limit, long now) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        Set<String> withRows = new HashSet<>();
        for (Object[] pair : em.createNamedQuery("ciamDelivery.routes", Object[].class).getResultList()) {
            String realmId = (String) pair[0];
            String route = (String) pair[1];
            withRows.add(RouteRegistry.key(realmId, route));
            if (defined(session, realmId, route)) {
                continue;
            }
            List<String> ids = em.createNamedQuery("ciamDelivery.ofRouteBefore", String.class)
                    .setParameter("realmId", realmId).setParameter("route", route)
                    .setParameter("before", now - GRACE.toMillis()).setMaxResults(limit).getResultList();
            if (!ids.isEmpty()) {
                int removed = em.createNamedQuery("ciamDelivery.deleteIds").setParameter("ids", ids).executeUpdate();
                RealmModel realm = session.realms().getRealm(realmId);
                LOG.infof("CIAM event export: removed %d deliveries of route %s, which %s no longer defines", removed,
                        route, realm != null ? "realm " + realm.getName() : "no realm (realm id " + realmId + ")");
                return removed;
            }
        }
        int removed = 0;
        for (RouteStateEntity state : em.createNamedQuery("ciamRouteState.all", RouteStateEntity.class).getResultList()) {
            if (!withRows.contains(RouteRegistry.key(state.getRealmId(), state.getRouteName()))
                    && settled(state, now) && !defined(session, state.getRealmId(), state.getRouteName())) {
                em.remove(state);
                removed++;
            }
        }
        return removed;
    }

    /** Neither leased nor paused within the grace: a state row has no time of its own but these. */
    private static boolean settled(RouteStateEntity state, long now) {
        long since = now - GRACE.toMillis();
        return state.getLeaseUntil() < since && (state.getPausedAt() == null || state.getPausedAt() < since);
    }

    private static boolean defined(KeycloakSession session, String realmId, String route) {
        RealmModel realm = session.realms().getRealm(realmId);
        return realm != null && RouteStore.defined(realm, route);
    }
}
