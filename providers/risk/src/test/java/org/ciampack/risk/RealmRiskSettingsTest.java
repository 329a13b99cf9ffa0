package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ciampack.risk.RealmRiskSettings.FailMode;
import org.junit.jupiter.api.Test;

class RealmRiskSettingsTest {

    @Test
    void failModesReadAsAdminsWriteThem() {
        assertThat(FailMode.parse("closed")).contains(FailMode.CLOSED);
        assertThat(FailMode.parse(" OPEN ")).contains(FailMode.OPEN);
        assertThat(FailMode.parse("sometimes")).isEmpty();
        assertThat(FailMode.parse("")).isEmpty();
        assertThat(FailMode.parse(null)).isEmpty();
        assertThat(FailMode.CLOSED.id()).isEqualTo("closed");
    }

    @Test
    void openUnlessSaidOtherwise() {
        assertThat(RealmRiskSettings.DEFAULTS.failClosed()).isFalse();
        assertThat(new RealmRiskSettings(FailMode.CLOSED).failClosed()).isTrue();
        assertThatThrownBy(() -> new RealmRiskSettings(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
