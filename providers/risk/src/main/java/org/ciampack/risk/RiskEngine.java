package org.ciampack.risk;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns independent signals into one assessment: each signal's strength times the admin's weight for it, summed
 * and capped at 100; the level follows from the policy's thresholds. Plain code, no Keycloak session, so the
 * whole scoring is unit-tested and benchmarked without a server.
 */
public final class RiskEngine {

    /** A signal as the engine sees it. */
    @FunctionalInterface
    public interface Signal {
        Finding evaluate(LoginAttempt attempt, Map<String, String> stepConfig);
    }

    public record WeightedSignal(String id, int weight, Signal signal) {
    }

    private RiskEngine() {
    }

    /** Scores the attempt; any exception from a signal propagates, for the caller's fail-open/closed decision. */
    public static RiskAssessment assess(RiskPolicy policy, List<WeightedSignal> signals, LoginAttempt attempt,
                                        Map<String, String> stepConfig) {
        record Contribution(String reason, double points) {
        }
        List<Contribution> contributions = new ArrayList<>();
        double total = 0;
        for (WeightedSignal weighted : signals) {
            Finding finding = weighted.signal().evaluate(attempt, stepConfig);
            double points = weighted.weight() * finding.strength();
            total += points;
            if (finding.reason() != null) {
                contributions.add(new Contribution(finding.reason(), points));
            }
        }
        // Strongest reasons first: the first reason is the one an admin or a support agent reads.
        contributions.sort(Comparator.comparingDouble(Contribution::points).reversed());
        int score = (int) Math.min(100, Math.round(total));
        return decide(policy, score, contributions.stream().map(Contribution::reason).distinct().toList());
    }

    /**
     * A login that is already risky must not be the one that enrols a second factor: an attacker holding the
     * password would register their own. From medium up, a pending enrolment makes it high.
     */
    public static RiskAssessment guardEnrollment(RiskPolicy policy, RiskAssessment assessment, boolean enrollmentPending) {
        if (!enrollmentPending || !assessment.level().isAtLeast(RiskLevel.MEDIUM)) {
            return assessment;
        }
        List<String> reasons = new ArrayList<>(assessment.reasons());
        reasons.add(0, "second_factor_enrollment");
        RiskLevel high = RiskLevel.HIGH;
        return new RiskAssessment(assessment.score(), high, reasons, policy.shadow(), policy.shadow() ? RiskLevel.LOW : high);
    }

    /** The assessment when scoring itself failed: low (fail-open) or high (fail-closed), as the realm says. */
    public static RiskAssessment failed(RiskPolicy policy, RealmRiskSettings.FailMode onError) {
        int score = onError == RealmRiskSettings.FailMode.CLOSED ? 100 : 0;
        return decide(policy, score, List.of("engine_error"));
    }

    private static RiskAssessment decide(RiskPolicy policy, int score, List<String> reasons) {
        RiskLevel level = policy.levelOf(score);
        return new RiskAssessment(score, level, reasons, policy.shadow(), policy.shadow() ? RiskLevel.LOW : level);
    }
}
