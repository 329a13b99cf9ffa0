package org.ciampack.events.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;

/** Routes as realm attributes: {@code ciam.export.route.<name>} holds the route's JSON definition. */
public final class RouteStore {

    public static final String ATTRIBUTE_PREFIX = "ciam.export.route.";
    /** Routes a realm may have through the API: each one costs the dispatcher a round per tick. */
    public static final int MAX_ROUTES = 25;
    private static final Logger LOG = Logger.getLogger(RouteStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteStore() {
    }

    /** The realm's routes by name; a stored definition that no longer reads is logged and left out. */
    public static Map<String, Route> routes(RealmModel realm) {
        Map<String, Route> routes = new TreeMap<>();
        realm.getAttributes().forEach((key, value) -> {
            if (key.startsWith(ATTRIBUTE_PREFIX) && value != null) {
                String name = key.substring(ATTRIBUTE_PREFIX.length());
                List<String> problems = new ArrayList<>();
                Route route = null;
                try {
                    route = Route.parse(name, JSON.readTree(value), problems);
                } catch (JsonProcessingException e) {
                    problems.add("not JSON");
                }
                if (route != null) {
                    routes.put(name, route);
                } else {
                    LOG.warnf("Realm %s: export route %s is left out: %s", realm.getName(), name, String.join("; ", problems));
                }
            }
        });
        return routes;
    }

    /** Whether the realm stores a route of that name, readable or not (a typo must not cost the route its rows). */
    public static boolean defined(RealmModel realm, String name) {
        return realm.getAttribute(ATTRIBUTE_PREFIX + name) != null;
    }

    public static Route route(RealmModel realm, String name) {
        return routes(realm).get(name);
    }

    public static void save(RealmModel realm, Route route) {
        try {
            realm.setAttribute(ATTRIBUTE_PREFIX + route.name(), JSON.writeValueAsString(route.definition()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void remove(RealmModel realm, String name) {
        realm.removeAttribute(ATTRIBUTE_PREFIX + name);
    }
}
