package org.ciampack.it.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;

/**
 * A burst of consent changes from one customer's self-service, sent in parallel: the per-minute limit (the demo
 * realm keeps the default, 20) must hold however the requests interleave. Each change is weighed with the customer's
 * standing locked; the count of recent changes has to see the changes committed while the request waited for that
 * lock, which a plain read on MariaDB and MySQL (the transaction's first snapshot) does not.
 */
public final class ParallelConsentChanges {

    private static final int PER_MINUTE = 20;
    private static final int REQUESTS = 60;
    private static final int THREADS = 12;
    private static final URI APP = URI.create("http://localhost:5173/callback");

    private ParallelConsentChanges() {
    }

    public static void assertTheLimitHolds(ServerUnderTest server, String password) throws Exception {
        AdminApi admin = server.admin();
        String email = "parallel-consent-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, password, true);
        OidcCodeFlow flow = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        Attempt attempt = Attempt.fresh();
        String token = flow.tokens(flow.signIn(attempt, email, password).code(), attempt.codeVerifier())
                .get("access_token").asText();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                String decision = i % 2 == 0 ? "granted" : "withdrawn";
                answers.add(pool.submit(() -> decide(server, token, decision)));
            }
            int refused = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                int status = answer.get().statusCode();
                assertThat(status).as("a change is taken or refused for the rate, nothing else").isIn(200, 429);
                refused += status == 429 ? 1 : 0;
            }
            assertThat(refused).as("the burst met the limit").isPositive();
        } finally {
            pool.shutdownNow();
        }
        HttpResponse<String> ledger = admin.sendAsAdmin("GET", admin.consentAdmin("acme")
                .resolve("users/" + userId + "/ledger"), null);
        assertThat(ledger.statusCode()).isEqualTo(200);
        long selfService = 0;
        for (JsonNode receipt : Http.json(ledger.body())) {
            selfService += "self-service".equals(receipt.path("source").asText()) ? 1 : 0;
        }
        assertThat(selfService).as("self-service receipts within the minute the burst took").isBetween(1L, (long) PER_MINUTE);
    }

    private static HttpResponse<String> decide(ServerUnderTest server, String token, String decision) {
        return Http.send(HttpRequest.newBuilder(URI.create(server.realmUrl("acme") + "/ciam-consent/me/marketing_email"))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"decision\":\"" + decision + "\",\"version\":1}")).build());
    }
}
