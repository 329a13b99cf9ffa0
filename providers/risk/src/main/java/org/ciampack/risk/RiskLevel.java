package org.ciampack.risk;

import java.util.Locale;

/** The three levels admins act on, in increasing order of risk. */
public enum RiskLevel {
    LOW, MEDIUM, HIGH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RiskLevel fromId(String id) {
        return valueOf(id.strip().toUpperCase(Locale.ROOT));
    }

    /** The level named by {@code id}, or {@code fallback} when it names none (a hand-edited config, a stale note). */
    public static RiskLevel parse(String id, RiskLevel fallback) {
        try {
            return id == null ? fallback : fromId(id);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    public boolean isAtLeast(RiskLevel other) {
        return compareTo(other) >= 0;
    }
}
