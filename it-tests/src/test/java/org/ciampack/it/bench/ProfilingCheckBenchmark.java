package org.ciampack.it.bench;

import java.net.URI;
import java.util.Locale;
import java.util.TreeMap;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;

/**
 * What the progressive profiling step costs a login when nothing is due: a customer whose profile already has
 * everything the demo plan asks signs in N times; the step's own timer ({@code ciam_profiling_check_seconds}, on
 * Keycloak's management port) gives the percentiles. It covers reading the plan, counting the login (an UPDATE
 * that runs at once), reading the user's row and finding nothing due. Against a running server
 * (docker/run-local.sh):
 * <pre>java ... ProfilingCheckBenchmark http://localhost:8080 admin admin [logins]</pre>
 */
public final class ProfilingCheckBenchmark {

    private static final String PASSWORD = "Bench-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        AdminApi admin = new AdminApi(base, args[1], args[2]);
        int logins = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        String email = "bench-profiling-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true); // phone and date of birth given: nothing due on acme-web
        URI metrics = ServerMetrics.of(base);
        URI realm = URI.create(base + "/realms/acme");
        signIn(realm, email); // the step's timer exists from the first login on
        double countBefore = ServerMetrics.value(metrics, "ciam_profiling_check_seconds_count");
        TreeMap<Double, Double> bucketsBefore = ServerMetrics.buckets(metrics, "ciam_profiling_check_seconds");
        for (int i = 0; i < logins; i++) {
            signIn(realm, email);
        }
        double checks = ServerMetrics.value(metrics, "ciam_profiling_check_seconds_count") - countBefore;
        TreeMap<Double, Double> bucketsAfter = ServerMetrics.buckets(metrics, "ciam_profiling_check_seconds");
        System.out.printf(Locale.ROOT, "%d logins (%.0f checks), nothing due: profiling step p50 %.3f ms, p95 %.3f ms, "
                        + "p99 %.3f ms, max %.3f ms%n", logins, checks,
                1000 * ServerMetrics.quantile(bucketsBefore, bucketsAfter, 0.5),
                1000 * ServerMetrics.quantile(bucketsBefore, bucketsAfter, 0.95),
                1000 * ServerMetrics.quantile(bucketsBefore, bucketsAfter, 0.99),
                1000 * ServerMetrics.value(metrics, "ciam_profiling_check_seconds_max"));
    }

    private static void signIn(URI realm, String email) {
        OidcCodeFlow browser = new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", "198.51.100.9");
        browser.signIn(Attempt.fresh(), email, PASSWORD).code(); // a code: no profiling page came between
    }
}
