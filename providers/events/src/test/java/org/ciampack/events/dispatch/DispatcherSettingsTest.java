package org.ciampack.events.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

class DispatcherSettingsTest {

    @Test
    void aRoundReadsAThousandEventsUnlessTheOperatorSaysOtherwise() {
        assertThat(DispatcherSettings.from(scope(Map.of())).roundEvents()).isEqualTo(1000);
        assertThat(DispatcherSettings.DEFAULTS.roundEvents()).isEqualTo(1000);
        assertThat(DispatcherSettings.from(scope(Map.of("round-events", 200))).roundEvents()).isEqualTo(200);
    }

    @Test
    void aRoundSizeOutOfRangeIsHeldToItsBounds() {
        assertThat(DispatcherSettings.from(scope(Map.of("round-events", 0))).roundEvents()).isEqualTo(10);
        assertThat(DispatcherSettings.from(scope(Map.of("round-events", 1_000_000))).roundEvents()).isEqualTo(10_000);
    }

    /** The listener's server options with these whole-number values; every other option at its default. */
    private static Config.Scope scope(Map<String, Integer> values) {
        return (Config.Scope) Proxy.newProxyInstance(DispatcherSettingsTest.class.getClassLoader(),
                new Class<?>[] {Config.Scope.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInt" -> values.getOrDefault((String) args[0], (Integer) args[1]);
                    case "getBoolean" -> args[1];
                    case "getArray" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
