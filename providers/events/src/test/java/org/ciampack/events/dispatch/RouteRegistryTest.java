package org.ciampack.events.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.ciampack.events.route.RouteStore;
import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;

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

    private static RealmModel realm(Map<String, String> attributes) {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[] {RealmModel.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getAttributes")) {
                        return attributes;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
