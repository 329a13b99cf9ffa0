package org.ciampack.events.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ciampack.events.outbox.CrossRealmApproval;
import org.ciampack.events.route.RouteStore;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.jpa.JpaConnectionProvider;
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
        KeycloakSession session = session(approvedAsStored(master), master, acme);
        RouteRegistry crossRealm = refreshed(new RouteRegistry(true), session);
        RouteRegistry ownRealmOnly = refreshed(new RouteRegistry(false), session);

        assertThat(names(crossRealm.targets(acme))).containsExactlyInAnyOrder("master/siem", "master/acme-by-name",
                "acme/crm");
        assertThat(names(ownRealmOnly.targets(acme))).containsExactly("acme/crm");
        assertThat(names(crossRealm.targets(master))).containsExactlyInAnyOrder("master/siem", "master/shop-only",
                "master/acme-by-name");
    }

    /**
     * A master route that names other realms takes their events only as an admin allowed to see them saved it: one
     * written around the export API, or an approved one edited since (its URL, its realms), takes master's only.
     */
    @Test
    void mastersRoutesTakeAnotherRealmsEventsOnlyAsTheirApprovedDefinition() {
        String approved = "{\"sink\": \"webhook\", \"realms\": [\"acme\"], \"settings\": {\"url\": \"https://siem.example\"}}";
        Map<String, String> masterRoutes = new HashMap<>(Map.of(SIEM, approved,
                RouteStore.ATTRIBUTE_PREFIX + "sneaky", "{\"sink\": \"webhook\", \"realms\": [\"*\"]}"));
        RealmModel master = realm("master-id", "master", masterRoutes);
        RealmModel acme = realm("acme-id", "acme", Map.of(CRM, "{\"sink\": \"crm\"}"));
        KeycloakSession session = session(Map.of("siem", CrossRealmApproval.of(approved)), master, acme);
        RouteRegistry registry = refreshed(new RouteRegistry(true), session);
        assertThat(names(registry.targets(acme))).containsExactlyInAnyOrder("master/siem", "acme/crm");
        assertThat(names(registry.targets(master))).as("master's own events, all the same")
                .containsExactlyInAnyOrder("master/siem", "master/sneaky");
        assertThat(registry.takes(session, registry.get("master-id", "siem"), "acme-id")).isTrue();
        assertThat(registry.takes(session, registry.get("master-id", "sneaky"), "acme-id")).isFalse();
        assertThat(registry.takes(session, registry.get("master-id", "sneaky"), "master-id")).isTrue();

        masterRoutes.put(SIEM, approved.replace("https://siem.example", "https://elsewhere.example"));
        registry.refresh(session);
        assertThat(names(registry.targets(acme))).as("the approved route pointed elsewhere").containsExactly("acme/crm");
        assertThat(registry.takes(session, registry.get("master-id", "siem"), "acme-id"))
                .as("nor may it send acme's events handed to it before").isFalse();
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
        assertThat(registry.takeChanged()).as("two routes opened").isTrue();
        OpenRoute crm = registry.get("acme-id", "crm");
        OpenRoute siem = registry.get("acme-id", "siem");
        registry.refresh(session(acme));
        assertThat(registry.takeChanged()).as("nothing changed").isFalse();

        acmeRoutes.put(SIEM, "{\"sink\": \"syslog\", \"format\": \"cef\"}");
        registry.refresh(session(acme));
        assertThat(registry.get("acme-id", "crm")).as("unchanged: its sink, throttle and health kept").isSameAs(crm);
        assertThat(registry.get("acme-id", "siem")).as("changed: opened anew").isNotSameAs(siem).isNotNull();
        assertThat(registry.takeChanged()).as("one route replaced").isTrue();

        acmeRoutes.remove(CRM);
        registry.refresh(session(acme));
        assertThat(registry.get("acme-id", "crm")).isNull();
        assertThat(names(List.copyOf(registry.all()))).containsExactly("acme/siem");
        assertThat(registry.takeChanged()).as("one route closed").isTrue();
        assertThat(registry.takeChanged()).as("asked once").isFalse();

        registry.refresh(session());
        assertThat(registry.all()).as("the realm is gone, and its routes with it").isEmpty();
        assertThat(registry.current(session(acme), acme)).as("nor is it known any more").isFalse();
    }

    /** Routes written around the export API past its cap: the first 25 by name are open, the others not. */
    @Test
    void aRealmStoringMoreRoutesThanTheCapHasOnlyTheFirstOpen() {
        Map<String, String> stored = new HashMap<>();
        for (int i = 0; i < RouteStore.MAX_ROUTES + 2; i++) {
            stored.put(RouteStore.ATTRIBUTE_PREFIX + String.format("r%02d", i), "{\"sink\": \"syslog\"}");
        }
        RealmModel acme = realm("acme-id", "acme", stored);
        RouteRegistry registry = refreshed(new RouteRegistry(false), session(acme));
        assertThat(registry.all()).hasSize(RouteStore.MAX_ROUTES);
        assertThat(registry.get("acme-id", "r24")).isNotNull();
        assertThat(registry.get("acme-id", "r25")).isNull();
        assertThat(registry.get("acme-id", "r26")).isNull();

        stored.remove(RouteStore.ATTRIBUTE_PREFIX + "r00");
        stored.remove(RouteStore.ATTRIBUTE_PREFIX + "r01");
        registry.refresh(session(acme));
        assertThat(registry.all()).as("back under the cap: every route open").hasSize(RouteStore.MAX_ROUTES);
        assertThat(registry.get("acme-id", "r26")).isNotNull();
    }

    private static RouteRegistry refreshed(RouteRegistry registry, KeycloakSession session) {
        registry.refresh(session);
        return registry;
    }

    private static List<String> names(List<OpenRoute> routes) {
        return routes.stream().map(open -> (open.realmId.equals("master-id") ? "master/" : "acme/") + open.route.name())
                .toList();
    }

    /** Approvals of master's routes as they are stored now, as the export API writes them on saving. */
    private static Map<String, String> approvedAsStored(RealmModel master) {
        Map<String, String> approvals = new HashMap<>();
        master.getAttributes().forEach((key, value) -> approvals.put(
                key.substring(RouteStore.ATTRIBUTE_PREFIX.length()), CrossRealmApproval.of(value)));
        return approvals;
    }

    /** A session whose realm provider knows these realms; no route is approved to take other realms' events. */
    private static KeycloakSession session(RealmModel... realms) {
        return session(Map.of(), realms);
    }

    /** A session whose realm provider knows these realms, and whose database holds these approvals of master's routes. */
    private static KeycloakSession session(Map<String, String> approvals, RealmModel... realms) {
        TypedQuery<?> query = (TypedQuery<?>) Proxy.newProxyInstance(TypedQuery.class.getClassLoader(),
                new Class<?>[] {TypedQuery.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setParameter" -> proxy;
                    case "getResultList" -> approvals.entrySet().stream()
                            .map(entry -> new Object[] {entry.getKey(), entry.getValue()}).toList();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        EntityManager em = (EntityManager) Proxy.newProxyInstance(EntityManager.class.getClassLoader(),
                new Class<?>[] {EntityManager.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createNamedQuery") && "ciamRouteState.crossRealmApprovals".equals(args[0])) {
                        return query;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        JpaConnectionProvider jpa = (JpaConnectionProvider) Proxy.newProxyInstance(
                JpaConnectionProvider.class.getClassLoader(), new Class<?>[] {JpaConnectionProvider.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getEntityManager")) {
                        return em;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return sessionWith(jpa, realms);
    }

    private static KeycloakSession sessionWith(JpaConnectionProvider jpa, RealmModel... realms) {
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
                    if (method.getName().equals("getProvider") && args[0] == JpaConnectionProvider.class) {
                        return jpa;
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
