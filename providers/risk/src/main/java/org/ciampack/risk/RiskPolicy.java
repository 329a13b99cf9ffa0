package org.ciampack.risk;

import java.util.Map;

/**
 * How scores become levels: one admin's settings for one flow step, parsed once from its configuration. Invalid
 * numbers fall back to the defaults rather than failing logins. (What a failed scoring counts as is realm-wide:
 * {@link RealmRiskSettings}.)
 */
public record RiskPolicy(int mediumThreshold, int highThreshold, boolean shadow) {

    public static final String MEDIUM_THRESHOLD = "medium-threshold";
    public static final String HIGH_THRESHOLD = "high-threshold";
    public static final String SHADOW_MODE = "shadow-mode";
    public static final String NEW_SIGN_IN_EMAIL = "new-sign-in-email";
    public static final String NEW_SIGN_IN_EMAIL_WINDOW_DAYS = "new-sign-in-email-window-days";
    public static final String NEW_SIGN_IN_EMAIL_MAX_PER_DAY = "new-sign-in-email-max-per-day";
    public static final int DEFAULT_MEDIUM = 40;
    public static final int DEFAULT_HIGH = 70;

    public RiskPolicy {
        if (mediumThreshold < 1 || highThreshold > 100 || mediumThreshold > highThreshold) {
            throw new IllegalArgumentException("thresholds must satisfy 1 <= medium <= high <= 100");
        }
    }

    public static RiskPolicy from(Map<String, String> config) {
        int medium = StepSettings.integer(config.get(MEDIUM_THRESHOLD), DEFAULT_MEDIUM, 1, 100);
        int high = StepSettings.integer(config.get(HIGH_THRESHOLD), DEFAULT_HIGH, 1, 100);
        if (medium > high) {
            medium = DEFAULT_MEDIUM;
            high = DEFAULT_HIGH;
        }
        return new RiskPolicy(medium, high, Boolean.parseBoolean(config.get(SHADOW_MODE)));
    }

    public RiskLevel levelOf(int score) {
        if (score >= highThreshold) {
            return RiskLevel.HIGH;
        }
        return score >= mediumThreshold ? RiskLevel.MEDIUM : RiskLevel.LOW;
    }

    /** The weight an admin gave a signal, 0-100; {@code fallback} when unset or invalid. */
    public static int weight(Map<String, String> config, String signalId, int fallback) {
        return StepSettings.integer(config.get(weightKey(signalId)), fallback, 0, 100);
    }

    public static String weightKey(String signalId) {
        return "weight." + signalId;
    }
}
