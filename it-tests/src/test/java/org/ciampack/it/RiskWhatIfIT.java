package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Admins ask how the realm's current risk policy would rate a login, without anyone logging in. */
@CiamIntegrationTest
class RiskWhatIfIT {

    private static final String PASSWORD = "Correct-Horse-42";

    private URI whatIf;
    private String email;

    @BeforeEach
    void customer(ServerUnderTest server, AdminApi admin) {
        whatIf = URI.create(server.adminRealmUrl("acme") + "/ciam-risk/what-if");
        email = "whatif-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
    }

    @Test
    void anAdminGetsTheScoreAndItsReasons(AdminApi admin) {
        HttpResponse<String> response = admin.postAsAdmin(whatIf, question("192.0.2.66"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = Http.json(response.body());
        assertThat(answer.get("level").asText()).isEqualTo("high");
        assertThat(answer.get("score").asInt()).isEqualTo(100);
        assertThat(answer.get("reasons").toString()).contains("ip_denied");
        assertThat(answer.at("/location/country").asText()).isEqualTo("US");
        assertThat(answer.at("/location/city").asText()).isEqualTo("New York");
    }

    @Test
    void anOrdinaryAddressIsLow(AdminApi admin) {
        JsonNode answer = Http.json(admin.postAsAdmin(whatIf, question("198.51.100.9")).body());

        assertThat(answer.get("level").asText()).isEqualTo("low");
        assertThat(answer.at("/location/city").asText()).isEqualTo("Berlin");
        assertThat(answer.get("historyConsidered").asInt()).isZero();
    }

    @Test
    void aCustomerWithoutViewUsersIsForbidden(ServerUnderTest server) {
        OidcCodeFlow web = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", URI.create("http://localhost:5173/cb"));
        Attempt attempt = Attempt.fresh();
        String token = web.tokens(web.signIn(attempt, email, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText();

        HttpResponse<String> response = post(question("192.0.2.66"), "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("ip_denied");
    }

    @Test
    void noOrABadTokenIsUnauthorized() {
        assertThat(post(question("192.0.2.66"), null).statusCode()).isEqualTo(401);
        assertThat(post(question("192.0.2.66"), "Bearer not.a.token").statusCode()).isEqualTo(401);
    }

    @Test
    void anUnknownUserIsNotFoundForAnAdmin(AdminApi admin) {
        ObjectNode question = question("198.51.100.9").put("username", "nobody-" + UUID.randomUUID() + "@acme.test");

        assertThat(admin.postAsAdmin(whatIf, question).statusCode()).isEqualTo(404);
    }

    private ObjectNode question(String ipAddress) {
        return Http.JSON.createObjectNode().put("username", email).put("ipAddress", ipAddress)
                .put("userAgent", "Mozilla/5.0 Firefox/140.0");
    }

    private HttpResponse<String> post(JsonNode body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(whatIf).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return Http.send(request.build());
    }
}
