package org.ciampack.consent;

import java.util.Locale;
import java.util.Optional;

/** What a user decided on a purpose. A withdrawal ends an earlier grant; a decline answers a question. */
public enum Decision {
    GRANTED, DECLINED, WITHDRAWN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean granted() {
        return this == GRANTED;
    }

    public static Optional<Decision> parse(String text) {
        for (Decision decision : values()) {
            if (decision.id().equals(text)) {
                return Optional.of(decision);
            }
        }
        return Optional.empty();
    }
}
