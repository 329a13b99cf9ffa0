package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "New sign-in to your account" goes out once per new device or country, and a customer gets a few a day at most,
 * whatever the logins: no flood from an app that signs in with the password grant over and over.
 */
@CiamIntegrationTest
class NewSignInNoticeIT {

    private static final String PASSWORD = "Notice-Pass-42";
    private static final String SUBJECT = "New sign-in to your account";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    private JsonNode originalPolicy;
    private String email;

    @BeforeEach
    void quietPolicy(AdminApi admin) {
        // Only the notices are under test: let new places through without a step-up and without impossible travel,
        // and allow two notices a day.
        originalPolicy = admin.stepConfig("acme", "ciam browser", "ciam-risk-assessment");
        ObjectNode policy = originalPolicy.deepCopy();
        ((ObjectNode) policy.get("config")).put("medium-threshold", "90").put("high-threshold", "95")
                .put("weight.impossible-travel", "0").put("new-sign-in-email-max-per-day", "2");
        admin.updateStepConfig("acme", policy);
        email = "notice-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
    }

    @AfterEach
    void restorePolicy(AdminApi admin) {
        admin.updateStepConfig("acme", originalPolicy);
    }

    @Test
    void aHundredPasswordGrantsFromOneAppGiveOneNotice(ServerUnderTest server, AdminApi admin, Mailbox mailbox) {
        String app = "notice-app-" + UUID.randomUUID().toString().substring(0, 6);
        ObjectNode client = Http.JSON.createObjectNode().put("clientId", app).put("publicClient", true)
                .put("directAccessGrantsEnabled", true).put("standardFlowEnabled", false);
        assertThat(admin.send("POST", "/realms/acme/clients", client).statusCode()).isEqualTo(201);
        browser(server, "198.51.100.61").signIn(Attempt.fresh(), email, PASSWORD).code(); // the customer is known

        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> grant = passwordGrant(server, app, "198.51.100.62");
            for (int retry = 0; retry < 10 && refusedWhileBooking(grant, admin, userId); retry++) {
                Pause.millis(100);
                grant = passwordGrant(server, app, "198.51.100.62");
            }
            if (grant.statusCode() != 200) {
                throw new AssertionError("grant " + i + ": " + grant.body() + "; "
                        + admin.events("acme", userId, "LOGIN_ERROR"));
            }
        }

        mailbox.await(email, mail -> mail.subject().equals(SUBJECT), Duration.ofSeconds(30));
        Pause.millis(3_000); // notices go out in the background: give a second one the time to arrive
        assertThat(notices(mailbox)).as("the app is one new device, told about once").isEqualTo(1);
        JsonNode logins = admin.get("/realms/acme/events?type=LOGIN&client=" + app + "&max=200");
        assertThat(logins).hasSize(100);
        assertThat(logins.findValuesAsText("risk_device")).as("one device for the app on its network").containsOnly(
                logins.get(0).at("/details/risk_device").asText());
    }

    @Test
    void aNewCountryStillGetsItsNoticeUpToTheDailyMaximum(ServerUnderTest server, Mailbox mailbox) {
        OidcCodeFlow browser = browser(server, "198.51.100.63"); // Berlin: the first login, nothing is new yet
        browser.signIn(Attempt.fresh(), email, PASSWORD).code();

        browser.forgetSession().header("X-Forwarded-For", "2001:db8::63").signIn(Attempt.fresh(), email, PASSWORD).code();
        mailbox.await(email, mail -> mail.subject().equals(SUBJECT) && mail.text().contains("Paris"), Duration.ofSeconds(30));
        browser.forgetSession().header("X-Forwarded-For", "2001:db8::64").signIn(Attempt.fresh(), email, PASSWORD).code();
        browser.forgetSession().header("X-Forwarded-For", "192.0.2.63").signIn(Attempt.fresh(), email, PASSWORD).code();
        mailbox.await(email, mail -> mail.subject().equals(SUBJECT) && mail.text().contains("New York"),
                Duration.ofSeconds(30));
        browser.forgetSession().header("X-Forwarded-For", "203.0.113.63").signIn(Attempt.fresh(), email, PASSWORD).code();
        Pause.millis(3_000);

        assertThat(notices(mailbox)).as("Paris and New York; Paris again is known; Sydney is over the day's two")
                .isEqualTo(2);
    }

    /**
     * Keycloak's own brute-force detection (stock, not the pack) refuses a user's login as "temporarily disabled"
     * while it still books the previous login's success on its background thread; on a loaded machine the next grant
     * can be quicker. Only such a refusal is retried: the token endpoint's invalid_grant, the event saying
     * user_temporarily_disabled, and no failure counted. Anything else, a real lockout included, fails the test.
     */
    private static boolean refusedWhileBooking(HttpResponse<String> grant, AdminApi admin, String userId) {
        if (grant.statusCode() != 400 || !grant.body().contains("\"invalid_grant\"")) {
            return false;
        }
        JsonNode errors = admin.events("acme", userId, "LOGIN_ERROR");
        JsonNode status = admin.bruteForceStatus("acme", userId);
        return !errors.isEmpty() && "user_temporarily_disabled".equals(errors.get(0).path("error").asText())
                && status.get("numFailures").asInt() == 0 && !status.get("disabled").asBoolean();
    }

    private long notices(Mailbox mailbox) {
        return mailbox.inbox(email).stream().filter(mail -> mail.subject().equals(SUBJECT)).count();
    }

    private static OidcCodeFlow browser(ServerUnderTest server, String address) {
        return new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", address);
    }

    private HttpResponse<String> passwordGrant(ServerUnderTest server, String clientId, String address) {
        return Http.send(HttpRequest.newBuilder(URI.create(server.realmUrl("acme") + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", address)
                .header("User-Agent", "AcmeApp/3.1 (Android 14)")
                .POST(Http.form(Map.of("grant_type", "password", "client_id", clientId, "username", email,
                        "password", PASSWORD, "scope", "openid")))
                .build());
    }
}
