package org.ciampack.consent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.ciampack.common.StepTimer;

/** Consent figures on Keycloak's metrics endpoint: the login-time check's duration, and decisions taken. */
final class ConsentMetrics {

    private static final Timer CHECK = StepTimer.register("ciam.consent.check",
            "Time the consent step takes at login to find what is due");
    private static final Meter.MeterProvider<Counter> DECISIONS = Counter.builder("ciam.consent.decisions")
            .description("Consent decisions recorded").withRegistry(Metrics.globalRegistry);

    private ConsentMetrics() {
    }

    static void checked(Duration took) {
        CHECK.record(took);
    }

    static void decided(String realm, String purpose, String decision, String source) {
        DECISIONS.withTags(Tags.of("realm", realm, "purpose", purpose, "decision", decision, "source", source)).increment();
    }
}
