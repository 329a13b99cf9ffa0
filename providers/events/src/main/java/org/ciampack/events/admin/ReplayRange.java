package org.ciampack.events.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A time range to send to a route again ({@code from} inclusive, {@code to} exclusive), within the limits of one
 * replay: at most {@link #MAX_SPAN} long, and (checked once the store has counted) at most the server's
 * {@code max-replay-events} events, so one request cannot queue the whole outbox at once.
 */
record ReplayRange(Instant from, Instant to) {

    static final Duration MAX_SPAN = Duration.ofDays(31);

    /** The range of the query parameters ({@code to} defaults to now); an {@link IllegalArgumentException} says what is wrong. */
    static ReplayRange parse(String from, String to, Instant now) {
        Instant start;
        Instant end;
        try {
            start = Instant.parse(from);
            end = to == null || to.isBlank() ? now : Instant.parse(to);
            start.toEpochMilli(); // an instant millions of years away has no time in the store's columns
            end.toEpochMilli();
        } catch (DateTimeParseException | NullPointerException | ArithmeticException e) {
            throw new IllegalArgumentException("from (and optionally to) must be ISO-8601 instants, e.g. 2026-11-01T00:00:00Z");
        }
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("to must be after from");
        }
        if (Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
            throw new IllegalArgumentException("a replay covers at most " + MAX_SPAN.toDays()
                    + " days; replay a longer time in several ranges");
        }
        return new ReplayRange(start, end);
    }

    /** Why a range holding {@code events} events is too large for one replay, or null when it is not. */
    static String tooMany(long events, int maxEvents) {
        return events <= maxEvents ? null : "the range holds " + events + " events; one replay takes at most " + maxEvents
                + ": replay shorter ranges one after the other";
    }
}
