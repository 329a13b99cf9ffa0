package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.PrometheusText;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The consent and profiling steps' timers on the management port's {@code /metrics}: histogram buckets, which add
 * up across nodes (a cluster's p95 is one {@code histogram_quantile} over their sum), not percentiles one node works
 * out over its own window, which add up with nothing.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class LoginStepMetricsIT {

    private static final String PASSWORD = "Metrics-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final List<String> TIMERS = List.of("ciam_consent_check_seconds", "ciam_profiling_check_seconds");
    private static final int LOGINS = 3;

    @Test
    void theConsentAndProfilingStepsCountEachLoginIntoHistogramBuckets(ServerUnderTest server, AdminApi admin) {
        String email = "metrics-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true); // consents decided, profile complete: no page on acme-web
        URI realm = server.realmUrl("acme");
        signIn(realm, email); // the timers exist from a first login on
        String beforeText = server.metrics();

        for (int i = 0; i < LOGINS; i++) {
            signIn(realm, email);
        }

        String metrics = server.metrics();
        for (String timer : TIMERS) {
            TreeMap<Double, Double> before = PrometheusText.buckets(beforeText, timer);
            TreeMap<Double, Double> counts = PrometheusText.buckets(metrics, timer);
            assertThat(counts).as(timer + " buckets").isNotEmpty();
            assertThat(counts.firstKey()).as(timer + ": buckets from below 100 µs (a step with nothing due)")
                    .isLessThanOrEqualTo(0.0001);
            assertThat(counts.lastKey()).as(timer + ": the last bucket, +Inf").isInfinite();
            assertThat(counts.lowerKey(Double.POSITIVE_INFINITY)).as(timer + ": buckets up to seconds")
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(new ArrayList<>(counts.values())).as(timer + ": cumulative counts").isSorted();
            assertThat(before).as(timer + " buckets before the logins").isNotEmpty();
            assertThat(counts.lastEntry().getValue() - before.lastEntry().getValue())
                    .as(timer + ": each login counted").isGreaterThanOrEqualTo(LOGINS);
            assertThat(metrics).as(timer + ": no per-node percentiles").doesNotContain(timer + "{quantile=");
        }
    }

    private static void signIn(URI realm, String email) {
        new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", "198.51.100.70")
                .signIn(Attempt.fresh(), email, PASSWORD).code(); // a code: no consent or profiling page came between
    }
}
