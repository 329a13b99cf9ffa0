package org.ciampack.events.sink;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again, and when it is given up (parked as dead): exponential backoff with
 * jitter from {@code initialDelay} up to {@code maxDelay}, a receiver's {@code Retry-After} honoured (up to
 * {@code maxDelay}), dead after {@code maxAttempts} tries or once the event is older than {@code maxAge}.
 */
public record RetryPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts, Duration maxAge) {

    /** What a receiver's answer means for the delivery. */
    public enum Outcome {
        /** 2xx: done. */
        DELIVERED,
        /** I/O error, timeout, 408, 425, 429, 5xx: the receiver may take it later. */
        RETRY,
        /** Any other answer (4xx, 3xx, 1xx): trying again would get the same; parked for an admin to look at. */
        REJECTED
    }

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), 12,
            Duration.ofDays(3));

    public RetryPolicy {
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0
                || maxAttempts < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("retry policy needs 0 < initialDelay <= maxDelay, maxAttempts >= 1, maxAge > 0");
        }
    }

    public static Outcome classify(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.DELIVERED;
        }
        if (status == 408 || status == 425 || status == 429 || (status >= 500 && status < 600)) {
            return Outcome.RETRY;
        }
        return Outcome.REJECTED;
    }

    /**
     * The wait before try number {@code nextAttempt} (2 for the first retry): half to all of
     * {@code initialDelay * 2^(nextAttempt - 2)}, capped at {@code maxDelay}, so many failed deliveries do not
     * all come back at the same moment; never shorter than what the receiver asked for with Retry-After.
     */
    public Duration delayBefore(int nextAttempt, Optional<Duration> retryAfter, RandomGenerator random) {
        int doublings = Math.max(0, Math.min(nextAttempt - 2, 40));
        long ceiling = Math.min(maxDelay.toMillis(), initialDelay.toMillis() * (1L << Math.min(doublings, 30)));
        long jittered = ceiling / 2 + (long) (random.nextDouble() * (ceiling - ceiling / 2));
        long asked = retryAfter.map(Duration::toMillis).map(millis -> Math.min(millis, maxDelay.toMillis())).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, asked));
    }

    /** Whether a delivery that failed {@code attempts} times, for an event from {@code created}, is given up. */
    public boolean exhausted(int attempts, Instant created, Instant now) {
        return attempts >= maxAttempts || Duration.between(created, now).compareTo(maxAge) > 0;
    }

    /** A Retry-After header (seconds, or an HTTP date) as a wait from {@code now}; empty when absent or unreadable. */
    public static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.min(seconds, 365L * 24 * 3600)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
