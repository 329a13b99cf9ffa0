package org.ciampack.events.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

class DispatcherSettingsTest {

    private static final String PREFIX = "dispatcher-settings-test.";

    @AfterEach
    void clear() {
        System.clearProperty(PREFIX + "round-events");
    }

    @Test
    void aRoundReadsAThousandEventsUnlessTheOperatorSaysOtherwise() {
        assertThat(settings().roundEvents()).isEqualTo(1000);
        assertThat(DispatcherSettings.DEFAULTS.roundEvents()).isEqualTo(1000);
        System.setProperty(PREFIX + "round-events", "200");
        assertThat(settings().roundEvents()).isEqualTo(200);
    }

    @Test
    void aRoundSizeOutOfRangeIsHeldToItsBounds() {
        System.setProperty(PREFIX + "round-events", "0");
        assertThat(settings().roundEvents()).isEqualTo(10);
        System.setProperty(PREFIX + "round-events", "1000000");
        assertThat(settings().roundEvents()).isEqualTo(10_000);
    }

    private static DispatcherSettings settings() {
        return DispatcherSettings.from(new Config.SystemPropertiesScope(PREFIX));
    }
}
