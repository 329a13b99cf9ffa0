package org.ciampack.risk;

import java.util.List;

/**
 * The outcome of scoring a login: a score 0-100, its level, and the reason codes behind it.
 *
 * @param enforcedLevel what the flow acts on: the level itself, or {@code LOW} in shadow mode
 */
public record RiskAssessment(int score, RiskLevel level, List<String> reasons, boolean shadow, RiskLevel enforcedLevel) {

    public RiskAssessment {
        reasons = List.copyOf(reasons);
    }

    public String reasonList() {
        return String.join(",", reasons);
    }
}
