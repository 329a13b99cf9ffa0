package org.ciampack.events.dispatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ciampack.events.route.Route;
import org.ciampack.events.route.RouteStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The routes of all realms as this node has them open, refreshed from the realm attributes on every tick; a route
 * whose definition changed is re-opened, a removed one closed.
 */
final class RouteRegistry {

    private final Map<String, OpenRoute> routes = new ConcurrentHashMap<>();
    private final boolean crossRealmRoutes;
    private volatile String masterId;

    /** {@code crossRealmRoutes}: the operator's choice whether master-realm routes may take other realms' events. */
    RouteRegistry(boolean crossRealmRoutes) {
        this.crossRealmRoutes = crossRealmRoutes;
    }

    void refresh(KeycloakSession session) {
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        session.realms().getRealmsStream().forEach(realm -> {
            if (org.keycloak.Config.getAdminRealm().equals(realm.getName())) {
                masterId = realm.getId();
            }
            for (Route route : RouteStore.routes(realm).values()) {
                String key = key(realm.getId(), route.name());
                seen.put(key, true);
                OpenRoute current = routes.get(key);
                if (current == null || !current.sameDefinition(route)) {
                    OpenRoute replaced = routes.put(key, new OpenRoute(realm.getId(), realm.getName(), route));
                    if (replaced != null) {
                        replaced.close();
                    }
                }
            }
        });
        routes.keySet().removeIf(key -> {
            if (seen.containsKey(key)) {
                return false;
            }
            routes.get(key).close();
            return true;
        });
    }

    Collection<OpenRoute> all() {
        return routes.values();
    }

    OpenRoute get(String realmId, String routeName) {
        return routes.get(key(realmId, routeName));
    }

    /**
     * The routes that may take events of a realm: its own, and, where the operator allows cross-realm routes,
     * master's routes that name it (or all realms).
     */
    List<OpenRoute> targets(RealmModel realm) {
        List<OpenRoute> targets = new ArrayList<>();
        for (OpenRoute open : routes.values()) {
            if (open.realmId.equals(realm.getId())
                    || (crossRealmRoutes && open.realmId.equals(masterId)
                    && open.route.coversRealm(true, masterId, realm.getId(), realm.getName()))) {
                targets.add(open);
            }
        }
        return targets;
    }

    void closeAll() {
        routes.values().forEach(OpenRoute::close);
        routes.clear();
    }

    static String key(String realmId, String routeName) {
        return realmId + "/" + routeName;
    }
}
