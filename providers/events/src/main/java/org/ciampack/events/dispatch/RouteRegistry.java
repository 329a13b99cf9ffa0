package org.ciampack.events.dispatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ciampack.events.outbox.CrossRealmApproval;
import org.ciampack.events.route.Route;
import org.ciampack.events.route.RouteStore;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The routes of all realms as this node has them open, refreshed from the realm attributes on every tick; a route
 * whose definition changed is re-opened, a removed one closed. It remembers the stored definitions each realm had
 * at the last refresh, so a request can tell whether the routes open here are still the realm's.
 */
final class RouteRegistry {

    private static final Logger LOG = Logger.getLogger(RouteRegistry.class);

    private final Map<String, OpenRoute> routes = new ConcurrentHashMap<>();
    private volatile Map<String, Map<String, String>> definitions = Map.of();
    /** Realms that store a route definition that does not read: what it would take is unknown. */
    private volatile Set<String> unreadable = Set.of();
    private final boolean crossRealmRoutes;
    private volatile String masterId;
    /** Master's routes named other realms without approval, and the digest of what was warned about. */
    private final Map<String, String> warnedUnapproved = new ConcurrentHashMap<>();
    /** Realms storing more routes than the cap, and how many the log last said. */
    private final Map<String, Integer> warnedOverCap = new ConcurrentHashMap<>();
    /** A route was opened, replaced or closed since {@link #takeChanged()} last asked. */
    private final AtomicBoolean changed = new AtomicBoolean();

    /** {@code crossRealmRoutes}: the operator's choice whether master-realm routes may take other realms' events. */
    RouteRegistry(boolean crossRealmRoutes) {
        this.crossRealmRoutes = crossRealmRoutes;
    }

    void refresh(KeycloakSession session) {
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        Map<String, Map<String, String>> stored = new HashMap<>();
        Set<String> withUnreadable = new HashSet<>();
        session.realms().getRealmsStream().forEach(realm -> {
            Map<String, String> definitions = storedDefinitions(realm);
            stored.put(realm.getId(), definitions);
            boolean master = org.keycloak.Config.getAdminRealm().equals(realm.getName());
            if (master) {
                masterId = realm.getId();
            }
            Map<String, String> approvals = master && crossRealmRoutes ? approvals(session, realm.getId()) : Map.of();
            Map<String, Route> readable = RouteStore.routes(realm);
            if (definitions.values().stream().filter(Objects::nonNull).count() > readable.size()) {
                withUnreadable.add(realm.getId());
            }
            for (Route route : withinCap(realm, readable)) {
                String key = key(realm.getId(), route.name());
                seen.put(key, true);
                boolean approved = master && route.takesOtherRealms()
                        && approved(route.name(), approvals.get(route.name()), definitions.get(RouteStore.ATTRIBUTE_PREFIX + route.name()));
                OpenRoute current = routes.get(key);
                if (current == null || !current.sameDefinition(route)) {
                    OpenRoute opened = new OpenRoute(realm.getId(), realm.getName(), route);
                    opened.crossRealmApproved = approved; // before it is seen: no event reaches it unapproved
                    OpenRoute replaced = routes.put(key, opened);
                    if (replaced != null) {
                        replaced.close();
                    }
                    changed.set(true);
                } else {
                    current.crossRealmApproved = approved;
                }
            }
        });
        routes.keySet().removeIf(key -> {
            if (seen.containsKey(key)) {
                return false;
            }
            routes.get(key).close();
            changed.set(true);
            return true;
        });
        unreadable = withUnreadable;
        definitions = stored;
    }

    /** Whether a route was opened, replaced or closed since the last call (the gauges then follow at once). */
    boolean takeChanged() {
        return changed.getAndSet(false);
    }

    /**
     * The realm's first {@link RouteStore#MAX_ROUTES} routes by name. The export API keeps a realm under the cap, but
     * routes written around it (a realm update, realm-as-code) could be any number, and each costs every node a round
     * per tick: the rest are not opened, and the log says so once per count.
     */
    private Collection<Route> withinCap(RealmModel realm, Map<String, Route> readable) {
        if (readable.size() <= RouteStore.MAX_ROUTES) {
            warnedOverCap.remove(realm.getId());
            return readable.values();
        }
        if (!Objects.equals(warnedOverCap.put(realm.getId(), readable.size()), readable.size())) {
            LOG.warnf("Realm %s stores %d export routes, written around the export API: only the first %d by name "
                    + "are open", realm.getName(), readable.size(), RouteStore.MAX_ROUTES);
        }
        return readable.values().stream().limit(RouteStore.MAX_ROUTES).toList();
    }

    /** Master's approvals of its routes that name other realms, from their state rows: route name to digest. */
    private static Map<String, String> approvals(KeycloakSession session, String masterId) {
        Map<String, String> approvals = new HashMap<>();
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("ciamRouteState.crossRealmApprovals", Object[].class)
                .setParameter("realmId", masterId).getResultList()
                .forEach(row -> approvals.put((String) row[0], (String) row[1]));
        return approvals;
    }

    /**
     * Whether a master route that names other realms is stored as approved; one that is not takes master's events
     * only, and the log says so once per definition.
     */
    private boolean approved(String name, String approval, String definition) {
        if (CrossRealmApproval.approves(approval, definition)) {
            warnedUnapproved.remove(name);
            return true;
        }
        String digest = CrossRealmApproval.of(definition);
        if (!Objects.equals(warnedUnapproved.put(name, digest), digest)) {
            LOG.warnf("Master's export route %s names other realms but was not saved as it is through the export "
                    + "API by an admin who may view their events: it takes master's events only", name);
        }
        return false;
    }

    /**
     * Whether a route may send an event of this realm: its own realm's, or, for an approved master route where the
     * operator allows cross-realm routes, a realm it names. Asked again when a round sends, as the route may have
     * changed since the event was handed to it.
     */
    boolean takes(KeycloakSession session, OpenRoute open, String eventRealmId) {
        if (open.realmId.equals(eventRealmId)) {
            return true;
        }
        if (!crossRealmRoutes || !open.realmId.equals(masterId) || !open.crossRealmApproved) {
            return false;
        }
        RealmModel realm = session.realms().getRealm(eventRealmId);
        return realm != null && open.route.coversRealm(true, open.realmId, realm.getId(), realm.getName());
    }

    /**
     * Whether the routes that may take this realm's events are open here exactly as the realm (and, with cross-realm
     * routes, master) stores them in this request's view; false before the first refresh, after a change this node
     * has not refreshed yet, and in the very transaction that changes a route.
     */
    boolean current(KeycloakSession session, RealmModel realm) {
        Map<String, Map<String, String>> known = definitions;
        if (!storesExactly(realm, known.get(realm.getId()))) {
            return false;
        }
        String master = masterId;
        if (!crossRealmRoutes || master == null || master.equals(realm.getId())) {
            return true;
        }
        RealmModel masterRealm = session.realms().getRealm(master);
        return masterRealm != null && storesExactly(masterRealm, known.get(master));
    }

    /** Whether the realm stores exactly these route definitions; compared in place, as every exported event asks. */
    static boolean storesExactly(RealmModel realm, Map<String, String> known) {
        if (known == null) {
            return false;
        }
        int matched = 0;
        for (Map.Entry<String, String> attribute : realm.getAttributes().entrySet()) {
            if (attribute.getKey().startsWith(RouteStore.ATTRIBUTE_PREFIX)) {
                if (!Objects.equals(attribute.getValue(), known.get(attribute.getKey()))) {
                    return false;
                }
                matched++;
            }
        }
        return matched == known.size();
    }

    private static Map<String, String> storedDefinitions(RealmModel realm) {
        Map<String, String> stored = new HashMap<>();
        realm.getAttributes().forEach((key, value) -> {
            if (key.startsWith(RouteStore.ATTRIBUTE_PREFIX)) {
                stored.put(key, value);
            }
        });
        return stored;
    }

    /**
     * Whether a route that may take this realm's events is stored but does not read (a typo in its JSON): until it is
     * fixed, what it would take is unknown.
     */
    boolean hasUnreadable(RealmModel realm) {
        Set<String> realms = unreadable;
        return realms.contains(realm.getId()) || (crossRealmRoutes && masterId != null && realms.contains(masterId));
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
                    || (crossRealmRoutes && open.realmId.equals(masterId) && open.crossRealmApproved
                    && open.route.coversRealm(true, masterId, realm.getId(), realm.getName()))) {
                targets.add(open);
            }
        }
        return targets;
    }

    void closeAll() {
        definitions = Map.of(); // no longer current for any realm: rows written from now on wait for a ticker
        routes.values().forEach(OpenRoute::close);
        routes.clear();
    }

    static String key(String realmId, String routeName) {
        return realmId + "/" + routeName;
    }
}
