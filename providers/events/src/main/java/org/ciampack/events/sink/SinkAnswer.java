package org.ciampack.events.sink;

import java.time.Duration;
import java.util.Optional;

/** What came back from a sink: delivered, worth retrying (maybe after a wait it asked for), or rejected. */
public record SinkAnswer(RetryPolicy.Outcome outcome, String detail, Optional<Duration> retryAfter) {

    public static SinkAnswer delivered(String detail) {
        return new SinkAnswer(RetryPolicy.Outcome.DELIVERED, detail, Optional.empty());
    }

    public static SinkAnswer retry(String detail) {
        return new SinkAnswer(RetryPolicy.Outcome.RETRY, detail, Optional.empty());
    }

    public static SinkAnswer rejected(String detail) {
        return new SinkAnswer(RetryPolicy.Outcome.REJECTED, detail, Optional.empty());
    }

    public boolean isDelivered() {
        return outcome == RetryPolicy.Outcome.DELIVERED;
    }
}
