package org.ciampack.consent;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How many decisions a user may take through the self-service API in a minute. The count comes from the ledger
 * (the user's receipts of the last minute, read while their standing is locked), so every node of a cluster sees
 * the same number and nothing is kept in memory.
 */
public record DecisionRate(int perMinute) {

    public static final Duration WINDOW = Duration.ofMinutes(1);

    /**
     * Empty when {@code wanted} more decisions fit into the window; else how long until they would: the oldest of
     * the {@code recent} decisions leaves the window then (at least one second, as Retry-After counts seconds).
     */
    public Optional<Duration> wait(long recent, Instant oldestRecent, int wanted, Instant now) {
        if (recent + wanted <= perMinute) {
            return Optional.empty();
        }
        Duration left = oldestRecent == null ? WINDOW : Duration.between(now, oldestRecent.plus(WINDOW));
        return Optional.of(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : left.plusMillis(999).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** The user's decisions do not fit into the minute; {@link #retryAfter} says when they would. */
    public static final class Exceeded extends RuntimeException {
        private final Duration retryAfter;
        private final int perMinute;

        public Exceeded(int perMinute, Duration retryAfter) {
            super("more than " + perMinute + " consent decisions in a minute", null, false, false);
            this.perMinute = perMinute;
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        public int perMinute() {
            return perMinute;
        }
    }
}
