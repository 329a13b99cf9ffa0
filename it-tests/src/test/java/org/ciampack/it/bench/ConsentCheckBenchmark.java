package org.ciampack.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;

/**
 * What the consent step costs a login when nothing is due: the realm gets 10 purposes, one customer gets 1,000
 * receipts, then signs in N times; the step's own timer ({@code ciam_consent_check_seconds}, on Keycloak's
 * management port) gives the percentiles. Against a running server (docker/run-local.sh):
 * <pre>java ... ConsentCheckBenchmark http://localhost:8080 admin admin [logins]</pre>
 */
public final class ConsentCheckBenchmark {

    private static final String PASSWORD = "Bench-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        AdminApi admin = new AdminApi(base, args[1], args[2]);
        int logins = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        URI api = admin.consentAdmin("acme");
        List<String> added = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
        try {
            int existing = Http.json(admin.sendAsAdmin("GET", api.resolve("purposes"), null).body()).size();
            for (int i = existing; i < 10; i++) {
                // a run of its own: a purpose made again may not reuse a version an earlier run left decisions on
                String id = "bench_" + run + "_" + i;
                ObjectNode purpose = Http.JSON.createObjectNode().put("version", 1).put("required", false)
                        .put("title", "ciamConsentMarketingTitle").put("description", "ciamConsentMarketingDescription");
                expect(admin.sendAsAdmin("PUT", api.resolve("purposes/" + id), purpose), 201);
                added.add(id);
            }
            JsonNode purposes = Http.json(admin.sendAsAdmin("GET", api.resolve("purposes"), null).body());
            String email = "bench-consent-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            String userId = admin.createUser("acme", email, PASSWORD, true);
            // The ledger keeps changes only, so each round changes every decision; the last (odd) round leaves the
            // required purposes granted and nothing due at login.
            int total = 100 * purposes.size();
            int receipts = 0;
            while (receipts < total) {
                ObjectNode body = Http.JSON.createObjectNode().put("source", "import");
                ArrayNode decisions = body.putArray("decisions");
                for (int i = 0; i < 100 && receipts < total; i++, receipts++) {
                    JsonNode purpose = purposes.get(receipts % purposes.size());
                    boolean oddRound = (receipts / purposes.size()) % 2 == 1;
                    boolean required = purpose.path("required").asBoolean();
                    decisions.addObject().put("purpose", purpose.get("id").asText())
                            .put("version", purpose.get("version").asInt())
                            .put("decision", required == oddRound ? "granted" : "declined");
                }
                expect(admin.sendAsAdmin("POST", api.resolve("users/" + userId + "/receipts"), body), 201);
            }
            receipts += purposes.size(); // the ones the user was created with
            URI metrics = ServerMetrics.of(base);
            double countBefore = ServerMetrics.value(metrics, "ciam_consent_check_seconds_count");
            TreeMap<Double, Double> bucketsBefore = ServerMetrics.buckets(metrics, "ciam_consent_check_seconds");
            URI realm = URI.create(base + "/realms/acme");
            for (int i = 0; i < logins; i++) {
                OidcCodeFlow browser = new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", "198.51.100.9");
                browser.signIn(Attempt.fresh(), email, PASSWORD).code(); // a code: no consent page came between
            }
            double checks = ServerMetrics.value(metrics, "ciam_consent_check_seconds_count") - countBefore;
            TreeMap<Double, Double> bucketsAfter = ServerMetrics.buckets(metrics, "ciam_consent_check_seconds");
            System.out.printf(Locale.ROOT, "%d purposes, %d receipts for the user, %d logins (%.0f checks): consent "
                    + "check p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms%n", purposes.size(), receipts, logins,
                    checks, 1000 * ServerMetrics.quantile(bucketsBefore, bucketsAfter, 0.5),
                    1000 * ServerMetrics.quantile(bucketsBefore, bucketsAfter, 0.95),
                    1000 * ServerMetrics.quantile(bucketsBefore, bucketsAfter, 0.99),
                    1000 * ServerMetrics.value(metrics, "ciam_consent_check_seconds_max"));
        } finally {
            for (String id : added) {
                admin.sendAsAdmin("DELETE", api.resolve("purposes/" + id), null);
            }
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }
}
