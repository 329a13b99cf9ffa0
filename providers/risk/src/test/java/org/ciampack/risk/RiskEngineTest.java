package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ciampack.risk.RiskEngine.WeightedSignal;
import org.junit.jupiter.api.Test;

class RiskEngineTest {

    private static final LoginAttempt ATTEMPT = LoginAttempt.bare("realm", "user", "203.0.113.7",
            Optional.empty(), "agent", Instant.parse("2026-11-22T10:00:00Z"));
    private static final RiskPolicy POLICY = new RiskPolicy(40, 70, false);

    @Test
    void quietSignalsMeanLowRisk() {
        RiskAssessment assessment = assess(POLICY, signal("a", 50, Finding.NOTHING), signal("b", 50, Finding.note("ip_allowed")));

        assertThat(assessment.score()).isZero();
        assertThat(assessment.level()).isEqualTo(RiskLevel.LOW);
        assertThat(assessment.reasons()).containsExactly("ip_allowed");
    }

    @Test
    void weightedStrengthsAddUpAndStrongestReasonComesFirst() {
        RiskAssessment assessment = assess(POLICY, signal("a", 30, Finding.of(0.5, "new_country")),
                signal("b", 40, Finding.of(1, "new_device")));

        assertThat(assessment.score()).isEqualTo(55);
        assertThat(assessment.level()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(assessment.reasons()).containsExactly("new_device", "new_country");
    }

    @Test
    void scoreIsCappedAtOneHundred() {
        RiskAssessment assessment = assess(POLICY, signal("a", 100, Finding.of(1, "ip_denied")),
                signal("b", 80, Finding.of(1, "impossible_travel")));

        assertThat(assessment.score()).isEqualTo(100);
        assertThat(assessment.level()).isEqualTo(RiskLevel.HIGH);
    }

    @Test
    void shadowModeRecordsTheLevelButEnforcesLow() {
        RiskAssessment assessment = assess(new RiskPolicy(40, 70, true), signal("a", 100, Finding.of(1, "ip_denied")));

        assertThat(assessment.level()).isEqualTo(RiskLevel.HIGH);
        assertThat(assessment.enforcedLevel()).isEqualTo(RiskLevel.LOW);
        assertThat(assessment.shadow()).isTrue();
    }

    @Test
    void aFailingSignalIsTheCallersDecisionOpenOrClosed() {
        WeightedSignal broken = new WeightedSignal("broken", 10, (attempt, config) -> {
            throw new IllegalStateException("database gone");
        });
        assertThatThrownBy(() -> assess(POLICY, broken)).isInstanceOf(IllegalStateException.class);

        assertThat(RiskEngine.failed(POLICY, RealmRiskSettings.FailMode.OPEN).level()).isEqualTo(RiskLevel.LOW);
        assertThat(RiskEngine.failed(POLICY, RealmRiskSettings.FailMode.CLOSED).level()).isEqualTo(RiskLevel.HIGH);
        assertThat(RiskEngine.failed(POLICY, RealmRiskSettings.FailMode.OPEN).reasons()).containsExactly("engine_error");
    }

    @Test
    void aRiskyLoginMayNotEnrolASecondFactor() {
        RiskAssessment medium = assess(POLICY, signal("a", 50, Finding.of(1, "new_country")));

        RiskAssessment guarded = RiskEngine.guardEnrollment(POLICY, medium, true);

        assertThat(guarded.level()).isEqualTo(RiskLevel.HIGH);
        assertThat(guarded.enforcedLevel()).isEqualTo(RiskLevel.HIGH);
        assertThat(guarded.reasons()).containsExactly("second_factor_enrollment", "new_country");
        assertThat(RiskEngine.guardEnrollment(POLICY, medium, false)).isSameAs(medium);
        RiskAssessment low = assess(POLICY, signal("a", 10, Finding.of(1, "new_network")));
        assertThat(RiskEngine.guardEnrollment(POLICY, low, true)).as("an ordinary login may enrol").isSameAs(low);
        assertThat(RiskEngine.guardEnrollment(new RiskPolicy(40, 70, true), medium, true).enforcedLevel())
                .as("shadow mode enforces nothing").isEqualTo(RiskLevel.LOW);
    }

    private static RiskAssessment assess(RiskPolicy policy, WeightedSignal... signals) {
        return RiskEngine.assess(policy, List.of(signals), ATTEMPT, Map.of());
    }

    private static WeightedSignal signal(String id, int weight, Finding finding) {
        return new WeightedSignal(id, weight, (attempt, config) -> finding);
    }
}
