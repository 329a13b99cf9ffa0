package org.ciampack.events.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ciampack.events.route.RouteStore;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RealmProvider;

/** Whether the routes open on a node are still the ones its realm stores: what decides where an event is fanned out. */
class RouteRegistryTest {

    private static final String CRM = RouteStore.ATTRIBUTE_PREFIX + "crm";
    private static final String SIEM = RouteStore.ATTRIBUTE_PREFIX + "siem";

    @Test
    void theSameDefinitionsAreCurrentWhateverElseTheRealmStores() {
        Map<String, String> known = Map.of(CRM, "{\"sink\":\"webhook\"}", SIEM, "{\"sink\":\"syslog\"}");
        assertThat(RouteRegistry.storesExactly(realm(Map.of(CRM, "{\"sink\":\"webhook\"}", SIEM,
                "{\"sink\":\"syslog\"}", "frontendUrl", "https://id.acme.test")), known)).isTrue();
        assertThat(RouteRegistry.storesExactly(realm(Map.of("frontendUrl", "https://id.acme.test")), Map.of())).isTrue();
    }

    @Test
    void aChangedAddedOrRemovedRouteIsNotCurrent() {
        Map<String, String> known = Map.of(CRM, "{\"sink\":\"webhook\"}");
        assertThat(RouteRegistry.storesExactly(realm(Map.of(CRM, "{\"sink\":\"hec\"}")), known)).as("changed").isFalse();
        assertThat(RouteRegistry.storesExactly(realm(Map.of(CRM, "{\"sink\":\"webhook\"}", SIEM, "{}")), known))
                .as("added").isFalse();
        assertThat(RouteRegistry.storesExactly(realm(Map.of()), known)).as("removed").isFalse();
        assertThat(RouteRegistry.storesExactly(realm(Map.of(SIEM, "{\"sink\":\"webhook\"}")), known))
                .as("another route of the same size").isFalse();
    }

    @Test
    void anAttributeWithoutAValueIsComparedLikeAnyOther() {
        Map<String, String> stored = new HashMap<>();
        stored.put(CRM, null);
        assertThat(RouteRegistry.storesExactly(realm(stored), new HashMap<>(stored))).isTrue();
        assertThat(RouteRegistry.storesExactly(realm(stored), Map.of(CRM, "{}"))).isFalse();
        assertThat(RouteRegistry.storesExactly(realm(Map.of(CRM, "{}")), stored)).isFalse();
    }

    @Test
    void aRealmTheNodeHasNotRefreshedYetIsNotCurrent() {
        assertThat(RouteRegistry.storesExactly(realm(Map.of()), null)).isFalse();
    }

    @Test
    void withCrossRealmRoutesMastersRoutesDecideWhetherAnotherRealmIsCurrent() {
        Map<String, String> masterRoutes = new HashMap<>(Map.of(SIEM, "{\"sink\": \"syslog\", \"realms\": [\"*\"]}"));
        Map<String, String> acmeRoutes = new HashMap<>(Map.of(CRM, "{\"sink\": \"crm\"}"));
        RealmModel master = realm("master-id", "master", masterRoutes);
        RealmModel acme = realm("acme-id", "acme", acmeRoutes);
        KeycloakSession session = session(master, acme);
        RouteRegistry crossRealm = refreshed(new RouteRegistry(true), session);
        RouteRegistry ownRealmOnly = refreshed(new RouteRegistry(false), session);
        assertThat(crossRealm.current(session, acme)).isTrue();

        masterRoutes.put(SIEM, "{\"sink\": \"syslog\", \"realms\": [\"shop\"]}");
        assertThat(crossRealm.current(session, acme)).as("master's route changed, not yet refreshed").isFalse();
        assertThat(ownRealmOnly.current(session, acme)).as("master's routes do not take acme's events").isTrue();
        crossRealm.refresh(session);
        assertThat(crossRealm.current(session, acme)).isTrue();

        acmeRoutes.remove(CRM);
        assertThat(crossRealm.current(session, acme)).as("acme's own route removed").isFalse();
        assertThat(crossRealm.current(session, master)).as("master does not depend on acme's routes").isTrue();
    }

    @Test
    void mastersRoutesTakeAnotherRealmsEventsOnlyWhereTheOperatorAllowsAndTheRouteNamesIt() {
        RealmModel master = realm("master-id", "master", Map.of(
                SIEM, "{\"sink\": \"syslog\", \"realms\": [\"*\"]}",
                RouteStore.ATTRIBUTE_PREFIX + "shop-only", "{\"sink\": \"syslog\", \"realms\": [\"shop\"]}",
                RouteStore.ATTRIBUTE_PREFIX + "acme-by-name", "{\"sink\": \"syslog\", \"realms\": [\"acme\"]}"));
        RealmModel acme = realm("acme-id", "acme", Map.of(CRM, "{\"sink\": \"crm\"}"));
        KeycloakSession session = session(master, acme);
        RouteRegistry crossRealm = refreshed(new RouteRegistry(true), session);
        RouteRegistry ownRealmOnly = refreshed(new RouteRegistry(false), session);

        assertThat(names(crossRealm.targets(acme))).containsExactlyInAnyOrder("master/siem", "master/acme-by-name",
                "acme/crm");
        assertThat(names(ownRealmOnly.targets(acme))).containsExactly("acme/crm");
        assertThat(names(crossRealm.targets(master))).containsExactlyInAnyOrder("master/siem", "master/shop-only",
                "master/acme-by-name");
    }

    @Test
    void anUnreadableRouteInMasterMakesAnotherRealmsEventsUnknownOnlyWithCrossRealmRoutes() {
        RealmModel master = realm("master-id", "master", Map.of(SIEM, "{not json"));
        RealmModel acme = realm("acme-id", "acme", Map.of(CRM, "{\"sink\": \"crm\"}"));
        KeycloakSession session = session(master, acme);
        RouteRegistry crossRealm = refreshed(new RouteRegistry(true), session);
        RouteRegistry ownRealmOnly = refreshed(new RouteRegistry(false), session);

        assertThat(crossRealm.hasUnreadable(master)).isTrue();
        assertThat(crossRealm.hasUnreadable(acme)).isTrue();
        assertThat(ownRealmOnly.hasUnreadable(acme)).isFalse();
        assertThat(ownRealmOnly.hasUnreadable(master)).as("its own route").isTrue();
        assertThat(crossRealm.current(session, acme)).as("unreadable, but what master stores is what was read").isTrue();
    }

    @Test
    void aRefreshKeepsAnUnchangedRouteOpenReopensAChangedOneAndLetsARemovedOneGo() {
        Map<String, String> acmeRoutes = new HashMap<>(Map.of(CRM, "{\"sink\": \"crm\"}",
                SIEM, "{\"sink\": \"syslog\"}"));
        RealmModel acme = realm("acme-id", "acme", acmeRoutes);
        RouteRegistry registry = refreshed(new RouteRegistry(false), session(acme));
        OpenRoute crm = registry.get("acme-id", "crm");
        OpenRoute siem = registry.get("acme-id", "siem");

        acmeRoutes.put(SIEM, "{\"sink\": \"syslog\", \"format\": \"cef\"}");
        registry.refresh(session(acme));
        assertThat(registry.get("acme-id", "crm")).as("unchanged: its sink, throttle and health kept").isSameAs(crm);
        assertThat(registry.get("acme-id", "siem")).as("changed: opened anew").isNotSameAs(siem).isNotNull();

        acmeRoutes.remove(CRM);
        registry.refresh(session(acme));
        assertThat(registry.get("acme-id", "crm")).isNull();
        assertThat(names(List.copyOf(registry.all()))).containsExactly("acme/siem");

        registry.refresh(session());
        assertThat(registry.all()).as("the realm is gone, and its routes with it").isEmpty();
        assertThat(registry.current(session(acme), acme)).as("nor is it known any more").isFalse();
    }

    private static RouteRegistry refreshed(RouteRegistry registry, KeycloakSession session) {
        registry.refresh(session);
        return registry;
    }

    private static List<String> names(List<OpenRoute> routes) {
        return routes.stream().map(open -> (open.realmId.equals("master-id") ? "master/" : "acme/") + open.route.name())
                .toList();
    }

    /** A session whose realm provider knows these realms. */
    private static KeycloakSession session(RealmModel... realms) {
        RealmProvider provider = (RealmProvider) Proxy.newProxyInstance(RealmProvider.class.getClassLoader(),
                new Class<?>[] {RealmProvider.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRealmsStream" -> Stream.of(realms);
                    case "getRealm" -> Stream.of(realms).filter(realm -> realm.getId().equals(args[0])).findFirst()
                            .orElse(null);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (KeycloakSession) Proxy.newProxyInstance(KeycloakSession.class.getClassLoader(),
                new Class<?>[] {KeycloakSession.class}, (proxy, method, args) -> {
                    if (method.getName().equals("realms")) {
                        return provider;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static RealmModel realm(String id, String name, Map<String, String> attributes) {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[] {RealmModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> id;
                    case "getName" -> name;
                    case "getAttributes" -> attributes;
                    case "getAttribute" -> args.length == 1 ? attributes.get((String) args[0]) : null;
                    case "hashCode" -> id.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static RealmModel realm(Map<String, String> attributes) {
        return realm("realm-id", "realm", attributes);
    }
}
