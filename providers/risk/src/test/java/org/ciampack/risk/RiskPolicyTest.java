package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RiskPolicyTest {

    @Test
    void readsTheAdminsSettings() {
        RiskPolicy policy = RiskPolicy.from(Map.of("medium-threshold", "30", "high-threshold", "80",
                "shadow-mode", "true"));

        assertThat(policy).isEqualTo(new RiskPolicy(30, 80, true));
        assertThat(policy.levelOf(29)).isEqualTo(RiskLevel.LOW);
        assertThat(policy.levelOf(30)).isEqualTo(RiskLevel.MEDIUM);
        assertThat(policy.levelOf(80)).isEqualTo(RiskLevel.HIGH);
    }

    @Test
    void unsetOrInvalidSettingsFallBackToSafeDefaults() {
        assertThat(RiskPolicy.from(Map.of())).isEqualTo(new RiskPolicy(40, 70, false));
        assertThat(RiskPolicy.from(Map.of("medium-threshold", "abc", "high-threshold", "70"))).isEqualTo(new RiskPolicy(40, 70, false));
        assertThat(RiskPolicy.from(Map.of("medium-threshold", "90", "high-threshold", "50"))).isEqualTo(new RiskPolicy(40, 70, false));
        assertThat(RiskPolicy.from(Map.of("medium-threshold", "0", "high-threshold", "500"))).isEqualTo(new RiskPolicy(40, 70, false));
    }

    @Test
    void unreadableLevelsFallBack() {
        assertThat(RiskLevel.parse("medium", RiskLevel.HIGH)).isEqualTo(RiskLevel.MEDIUM);
        assertThat(RiskLevel.parse(" HIGH ", RiskLevel.LOW)).isEqualTo(RiskLevel.HIGH);
        assertThat(RiskLevel.parse("severe", RiskLevel.HIGH)).isEqualTo(RiskLevel.HIGH);
        assertThat(RiskLevel.parse(null, RiskLevel.LOW)).isEqualTo(RiskLevel.LOW);
    }

    @Test
    void weightsAreZeroToOneHundred() {
        assertThat(RiskPolicy.weight(Map.of("weight.ip-reputation", "25"), "ip-reputation", 100)).isEqualTo(25);
        assertThat(RiskPolicy.weight(Map.of("weight.ip-reputation", "0"), "ip-reputation", 100)).isZero();
        assertThat(RiskPolicy.weight(Map.of("weight.ip-reputation", "-3"), "ip-reputation", 100)).isEqualTo(100);
        assertThat(RiskPolicy.weight(Map.of("weight.ip-reputation", "lots"), "ip-reputation", 100)).isEqualTo(100);
        assertThat(RiskPolicy.weight(Map.of(), "ip-reputation", 100)).isEqualTo(100);
    }
}
