package org.ciampack.profiling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.ciampack.common.StepTimer;

/**
 * Progressive profiling on Keycloak's metrics endpoint: how long the step takes to find what is due, and each
 * question's outcomes (asked, answered, skipped) per realm and attribute, from which completion rates follow.
 */
final class ProfilingMetrics {

    private static final Timer CHECK = StepTimer.register("ciam.profiling.check",
            "Time the progressive profiling step takes at login to find what is due");
    private static final Meter.MeterProvider<Counter> QUESTIONS = Counter.builder("ciam.profiling.questions")
            .description("Progressive profiling questions by outcome").withRegistry(Metrics.globalRegistry);

    private ProfilingMetrics() {
    }

    static void checked(Duration took) {
        CHECK.record(took);
    }

    static void question(String realm, String attribute, String outcome) {
        QUESTIONS.withTags(Tags.of("realm", realm, "attribute", attribute, "outcome", outcome)).increment();
    }
}
