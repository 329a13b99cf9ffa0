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

    public boolean isAtLeast(RiskLevel other) {
        return compareTo(other) >= 0;
    }
}
