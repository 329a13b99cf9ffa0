package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ciampack.it.fixture.BrokenSignalFactory;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * When scoring itself fails (here: an operator's own signal with a bug, installed only in this suite's server),
 * the realm's fail mode decides: open lets the customer in as low risk, closed denies as high risk. Either way the
 * failure is logged, counted on the metrics endpoint and recorded as reason engine_error.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class RiskEngineFailureIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String BROKEN_BROWSER = "Mozilla/5.0 Firefox/140.0 " + BrokenSignalFactory.TRIGGER;

    private ServerUnderTest server;
    private AdminApi admin;
    private URI settings;
    private String email;
    private String userId;

    @BeforeEach
    void customer(ServerUnderTest server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        settings = URI.create(server.adminRealmUrl("acme") + "/ciam-risk/settings");
        email = "engine-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        userId = admin.createUser("acme", email, PASSWORD, true);
    }

    @AfterEach
    void realmFailsOpenAgain() {
        assertThat(admin.sendAsAdmin("PUT", settings, onError("open")).statusCode()).isEqualTo(200);
    }

    @Test
    void theDemoRealmFailsOpenAndLetsTheCustomerInAsLowRisk() {
        assertThat(Http.json(admin.sendAsAdmin("GET", settings, null).body()).get("onError").asText()).isEqualTo("open");
        double errorsBefore = engineErrors();

        browser().signIn(Attempt.fresh(), email, PASSWORD).code();

        JsonNode login = latest("LOGIN");
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("low");
        assertThat(login.at("/details/risk_reasons").asText()).isEqualTo("engine_error");
        assertThat(engineErrors()).isEqualTo(errorsBefore + 1);
        assertThat(server.logTail(400)).contains("Risk assessment failed in realm acme, so the login counts as low risk (fail-open)");
    }

    @Test
    void aRealmThatFailsClosedDeniesLikeAWrongPassword() {
        HttpResponse<String> changed = admin.sendAsAdmin("PUT", settings, onError("closed"));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(Http.json(changed.body()).get("onError").asText()).isEqualTo("closed");
        JsonNode adminEvent = admin.get("/realms/acme/admin-events?resourcePath=ciam-risk/settings&max=1").get(0);
        assertThat(adminEvent.get("operationType").asText()).isEqualTo("UPDATE");
        assertThat(adminEvent.get("representation").asText()).contains("closed");

        HttpResponse<String> refused = browser().submitLogin(Attempt.fresh(), email, PASSWORD);

        assertThat(refused.body()).contains("Invalid username or password").doesNotContain("engine_error")
                .doesNotContain("Exception").doesNotContain("test signal");
        JsonNode error = latest("LOGIN_ERROR");
        assertThat(error.at("/details/risk_level").asText()).isEqualTo("high");
        assertThat(error.at("/details/risk_reasons").asText()).isEqualTo("engine_error");
        assertThat(admin.events("acme", userId, "LOGIN")).as("no successful login").isEmpty();
        assertThat(metric("ciam_risk_assessments_total\\{level=\"high\",realm=\"acme\"}")).isPositive();

        // Other customers, whose scoring works, are not affected by the mode.
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", "198.51.100.80")
                .signIn(Attempt.fresh(), email, PASSWORD).code();
        assertThat(latest("LOGIN").at("/details/risk_level").asText()).isEqualTo("low");
    }

    @Test
    void settingsRefuseWhatTheyDoNotKnow() {
        HttpResponse<String> badMode = admin.sendAsAdmin("PUT", settings, onError("sometimes"));
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(badMode.body()).contains("onError must be 'open' or 'closed'");

        HttpResponse<String> unknown = admin.sendAsAdmin("PUT", settings,
                Http.JSON.createObjectNode().put("onError", "closed").put("shadow", true));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown setting shadow");
        assertThat(Http.json(admin.sendAsAdmin("GET", settings, null).body()).get("onError").asText())
                .as("nothing changed").isEqualTo("open");

        HttpResponse<String> notJson = Http.send(HttpRequest.newBuilder(settings).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"onError\":")).build());
        assertThat(notJson.statusCode()).isBetween(400, 401);
    }

    @Test
    void onlyRealmAdminsSeeOrChangeThem() {
        OidcCodeFlow web = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        Attempt attempt = Attempt.fresh();
        String customer = web.tokens(web.signIn(attempt, email, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText();

        assertThat(call("GET", customer, null).statusCode()).isEqualTo(403);
        assertThat(call("PUT", customer, onError("closed")).statusCode()).isEqualTo(403);
        assertThat(call("PUT", null, onError("closed")).statusCode()).isEqualTo(401);
        assertThat(call("PUT", "not.a.token", onError("closed")).statusCode()).isEqualTo(401);
        assertThat(Http.json(admin.sendAsAdmin("GET", settings, null).body()).get("onError").asText()).isEqualTo("open");
    }

    private OidcCodeFlow browser() {
        return new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", "198.51.100.81")
                .header("User-Agent", BROKEN_BROWSER);
    }

    private static ObjectNode onError(String mode) {
        return Http.JSON.createObjectNode().put("onError", mode);
    }

    private HttpResponse<String> call(String method, String token, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return Http.send(request.build());
    }

    private double engineErrors() {
        return metric("ciam_risk_engine_errors_total\\{realm=\"acme\"}");
    }

    /** A sample's value on the metrics endpoint; 0 before the counter first counts. */
    private double metric(String sample) {
        Matcher matcher = Pattern.compile("(?m)^" + sample + " (\\S+)$").matcher(server.metrics());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private JsonNode latest(String type) {
        JsonNode events = admin.events("acme", userId, type);
        assertThat(events).as(type + " events of " + email).isNotEmpty();
        return events.get(0);
    }
}
