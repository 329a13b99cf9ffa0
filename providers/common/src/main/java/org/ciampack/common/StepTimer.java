package org.ciampack.common;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The timer of a login step on Keycloak's metrics endpoint, as Prometheus histogram buckets ({@code _bucket{le=...}};
 * Micrometer's own from 50 µs to 5 s, both bounds included): every node counts into the same buckets, so
 * one {@code histogram_quantile} over their sum gives a cluster's p95. A percentile worked out inside one node, over
 * its own recent window, adds up with no other node's.
 */
public final class StepTimer {

    private static final Duration SMALLEST = Duration.ofNanos(50_000);
    private static final Duration LARGEST = Duration.ofSeconds(5);

    private StepTimer() {
    }

    public static Timer register(String name, String description) {
        return Timer.builder(name).description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(SMALLEST)
                .maximumExpectedValue(LARGEST)
                .register(Metrics.globalRegistry);
    }
}
