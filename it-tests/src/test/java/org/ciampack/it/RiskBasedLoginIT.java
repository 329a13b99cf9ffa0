package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.harness.Totp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo realm's browser flow scores every password login and denies high risk. Clients "from elsewhere" are
 * played with X-Forwarded-For, which the server trusts from loopback; the demo deny list holds 192.0.2.66 and
 * 2001:db8:bad::/48.
 */
@CiamIntegrationTest
class RiskBasedLoginIT {

    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String PASSWORD = "Correct-Horse-42";
    private static final String FORMS_FLOW = "ciam browser forms";
    private static final String RISK_STEP = "ciam-risk-assessment";

    private AdminApi admin;
    private URI realm;
    private String email;
    private String userId;
    private JsonNode originalPolicy;

    @BeforeEach
    void customer(ServerUnderTest server, AdminApi admin) {
        this.admin = admin;
        realm = server.realmUrl("acme");
        email = "risk-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        userId = admin.createUser("acme", email, PASSWORD, true);
        originalPolicy = admin.stepConfig("acme", FORMS_FLOW, RISK_STEP);
    }

    @AfterEach
    void restorePolicy() {
        admin.updateStepConfig("acme", originalPolicy);
    }

    @Test
    void anOrdinaryAddressIsLowRiskAndRecorded() {
        from("203.0.113.10").signIn(Attempt.fresh(), email, PASSWORD).code();

        JsonNode login = latest("LOGIN");
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("low");
        assertThat(login.at("/details/risk_score").asText()).isEqualTo("0");
        assertThat(login.at("/ipAddress").asText()).as("the forwarded address is the client's").isEqualTo("203.0.113.10");
    }

    @Test
    void aDeniedAddressIsRefusedWithAMessageThatRevealsNothing() {
        HttpResponse<String> refused = from("192.0.2.66").submitLogin(Attempt.fresh(), email, PASSWORD);

        // The answer a wrong password gets (security/RiskDenialIT compares them): nothing about the address or risk.
        assertThat(refused.headers().firstValue("Location")).as("no way back to the app").isEmpty();
        assertThat(refused.body()).contains("Invalid username or password").doesNotContain("192.0.2.66").doesNotContain("ip_denied");
        // (the markup's random tokens may spell anything; what the user reads must not mention risk)
        assertThat(refused.body().replaceAll("(?s)<script\\b.*?</script>|<[^>]+>", " ")).doesNotContainIgnoringCase("risk");

        JsonNode error = latest("LOGIN_ERROR");
        assertThat(error.at("/details/risk_level").asText()).isEqualTo("high");
        assertThat(error.at("/details/risk_reasons").asText()).contains("ip_denied");
        assertThat(admin.events("acme", userId, "LOGIN")).as("no successful login").isEmpty();
    }

    @Test
    void aDeniedIpv6NetworkIsRefusedToo() {
        HttpResponse<String> refused = from("2001:db8:bad::17").submitLogin(Attempt.fresh(), email, PASSWORD);

        assertThat(refused.body()).contains("Invalid username or password");
        assertThat(latest("LOGIN_ERROR").at("/details/risk_reasons").asText()).contains("ip_denied");
    }

    @Test
    @Tag("local-distribution")
    void anAddressOnTheServersListFileIsRefused() {
        HttpResponse<String> refused = from(LocalKeycloak.BAD_ADDRESS).submitLogin(Attempt.fresh(), email, PASSWORD);

        assertThat(refused.body()).contains("Invalid username or password");
        assertThat(latest("LOGIN_ERROR").at("/details/risk_reasons").asText()).startsWith("ip_listed");
    }

    @Test
    void passwordGrantsAreAssessedTooAndRefusedWithoutAPageToStepUpOn() {
        String cli = "acme-cli-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode client = Http.JSON.createObjectNode().put("clientId", cli).put("publicClient", true)
                .put("standardFlowEnabled", false).put("directAccessGrantsEnabled", true);
        assertThat(admin.send("POST", "/realms/acme/clients", client).statusCode()).isEqualTo(201);

        HttpResponse<String> usual = passwordGrant(cli, "198.51.100.70");
        assertThat(usual.statusCode()).isEqualTo(200);
        assertThat(latest("LOGIN").at("/details/risk_level").asText()).isEqualTo("low");

        HttpResponse<String> denied = passwordGrant(cli, "192.0.2.66");
        assertThat(denied.statusCode()).isBetween(400, 401);
        assertThat(denied.body()).doesNotContain("ip_denied").doesNotContain("192.0.2.66");
        assertThat(latest("LOGIN_ERROR").at("/details/risk_reasons").asText()).startsWith("ip_denied");
    }

    private HttpResponse<String> passwordGrant(String clientId, String forwardedFor) {
        return Http.send(java.net.http.HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", forwardedFor)
                .POST(Http.form(Map.of("grant_type", "password", "client_id", clientId, "username", email,
                        "password", PASSWORD, "scope", "openid")))
                .build());
    }

    @Test
    void anAllowedAddressIsNeverScoredByReputation() {
        ObjectNode policy = originalPolicy.deepCopy();
        ((ObjectNode) policy.get("config")).put("ip-allow-list", "203.0.113.0/24");
        admin.updateStepConfig("acme", policy);

        from("203.0.113.44").signIn(Attempt.fresh(), email, PASSWORD).code();

        JsonNode login = latest("LOGIN");
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("low");
        assertThat(login.at("/details/risk_reasons").asText()).contains("ip_allowed");
    }

    @Test
    void shadowModeLetsTheLoginThroughButRecordsTheRisk() {
        ObjectNode policy = originalPolicy.deepCopy();
        ((ObjectNode) policy.get("config")).put("shadow-mode", "true");
        admin.updateStepConfig("acme", policy);

        from("192.0.2.66").signIn(Attempt.fresh(), email, PASSWORD).code();

        JsonNode login = latest("LOGIN");
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("high");
        assertThat(login.at("/details/risk_score").asText()).isEqualTo("100");
        assertThat(login.at("/details/risk_shadow").asText()).isEqualTo("true");
    }

    @Test
    void aKnownDeviceInItsUsualPlaceIsQuiet() {
        OidcCodeFlow browser = from("198.51.100.20");
        browser.signIn(Attempt.fresh(), email, PASSWORD).code();
        assertThat(latest("LOGIN").at("/details/risk_reasons").asText()).as("a first login has no history").contains("history_thin");

        browser.forgetSession().signIn(Attempt.fresh(), email, PASSWORD).code();

        JsonNode second = latest("LOGIN");
        assertThat(second.at("/details/risk_score").asText()).isEqualTo("0");
        assertThat(second.at("/details/risk_reasons").asText()).isEmpty();
        assertThat(second.at("/details/risk_device").asText()).isEqualTo(admin.events("acme", userId, "LOGIN")
                .get(1).at("/details/risk_device").asText());
    }

    @Test
    void aNewDeviceFromANewCountryMustUseTheSecondFactorAndIsThenTrusted() throws InterruptedException {
        // The customer set up an authenticator app at an earlier, ordinary login.
        ObjectNode requiredTotp = Http.JSON.createObjectNode();
        requiredTotp.putArray("requiredActions").add("CONFIGURE_TOTP");
        assertThat(admin.send("PUT", "/realms/acme/users/" + userId, requiredTotp).statusCode()).isEqualTo(204);
        OidcCodeFlow usual = from("198.18.0.31"); // an address GeoIP cannot place: no travel to judge later
        HttpResponse<String> setup = usual.follow(usual.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(setup, "kc-totp-settings-form")).as("asked to set up OTP").isTrue();
        String secret = OidcCodeFlow.hiddenField(setup, "totpSecret");
        Instant enrolledAt = Instant.now();
        usual.callbackFrom(usual.follow(usual.submitForm(setup, "kc-totp-settings-form", Map.of(
                "totp", Totp.code(secret, enrolledAt), "totpSecret", secret, "userLabel", "phone"))));

        // A new browser in Paris: medium risk, so the second factor is demanded before the app gets a code.
        OidcCodeFlow paris = from("2001:db8::31");
        HttpResponse<String> stepUp = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(stepUp, "kc-otp-login-form")).as("OTP step-up demanded").isTrue();
        // Keycloak accepts a code once: wait for the authenticator app's next code, as a user would.
        paris.callbackFrom(paris.follow(paris.submitForm(stepUp, "kc-otp-login-form",
                Map.of("otp", Totp.code(secret, Totp.nextStep(enrolledAt))))));
        assertThat(latest("LOGIN").at("/details/risk_level").asText()).isEqualTo("medium");

        // The same browser in Paris again: a trusted device in a known country, no step-up.
        HttpResponse<String> again = paris.forgetSession().submitLogin(Attempt.fresh(), email, PASSWORD);
        paris.callbackFrom(again);
        assertThat(latest("LOGIN").at("/details/risk_level").asText()).isEqualTo("low");
    }

    @Test
    void aCustomerWithoutAnAppStepsUpWithACodeByEmail(Mailbox mailbox) {
        from("198.18.0.51").signIn(Attempt.fresh(), email, PASSWORD).code();

        OidcCodeFlow paris = from("2001:db8::51");
        HttpResponse<String> stepUp = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(stepUp, "ciam-email-otp-form")).as("e-mail code step-up").isTrue();
        assertThat(stepUp.body()).contains("we sent to " + email.charAt(0) + "***@acme.test");

        HttpResponse<String> wrong = paris.submitForm(stepUp, "ciam-email-otp-form", Map.of("code", "000000x"));
        assertThat(wrong.headers().firstValue("Location")).isEmpty();
        assertThat(wrong.body()).contains("That code is not right");

        Mailbox.Mail mail = mailbox.await(email, m -> m.subject().equals("Your sign-in code"), Duration.ofSeconds(30));
        String code = mail.text().replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
        paris.callbackFrom(paris.follow(paris.submitForm(wrong, "ciam-email-otp-form", Map.of("code", code))));
        assertThat(latest("LOGIN").at("/details/risk_level").asText()).isEqualTo("medium");

        Mailbox.Mail notice = mailbox.await(email, m -> m.subject().equals("New sign-in to your account"), Duration.ofSeconds(30));
        assertThat(notice.text()).contains("Where: Paris, FR").contains("/realms/acme/account/");

        paris.forgetSession().signIn(Attempt.fresh(), email, PASSWORD).code();
        assertThat(latest("LOGIN").at("/details/risk_level").asText()).as("trusted after the step-up").isEqualTo("low");
        Pause.millis(2_000); // notices are sent in the background: give a wrong one the time to arrive
        assertThat(mailbox.inbox(email)).as("one notice: the first login and the trusted one send none")
                .filteredOn(m -> m.subject().equals("New sign-in to your account")).hasSize(1);
    }


    @Test
    void aRiskyLoginCannotEnrolASecondFactor() {
        OidcCodeFlow usual = from("198.18.0.41");
        usual.signIn(Attempt.fresh(), email, PASSWORD).code();
        ObjectNode requiredTotp = Http.JSON.createObjectNode();
        requiredTotp.putArray("requiredActions").add("CONFIGURE_TOTP");
        assertThat(admin.send("PUT", "/realms/acme/users/" + userId, requiredTotp).statusCode()).isEqualTo(204);

        // Someone with the password, in another browser and country, would be asked to set up an authenticator app.
        HttpResponse<String> refused = from("2001:db8::41").submitLogin(Attempt.fresh(), email, PASSWORD);
        assertThat(refused.body()).contains("Invalid username or password").doesNotContain("kc-totp-settings-form");
        assertThat(latest("LOGIN_ERROR").at("/details/risk_reasons").asText()).startsWith("second_factor_enrollment");

        // The user's own browser, in the usual place, gets the set-up page.
        HttpResponse<String> setup = usual.forgetSession().follow(usual.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(setup, "kc-totp-settings-form")).isTrue();
    }

    @Test
    void aUserWithLoginHistoryCanBeDeleted() {
        from("198.51.100.26").signIn(Attempt.fresh(), email, PASSWORD).code();

        assertThat(admin.send("DELETE", "/realms/acme/users/" + userId, null).statusCode()).isEqualTo(204);
        assertThat(admin.findUserByEmail("acme", email)).isNull();
    }

    @Test
    void aNewDeviceFromANewCountryIsMediumRisk(Mailbox mailbox) {
        // First from an address GeoIP cannot place (so no travel can be judged), then from Paris in another browser.
        from("198.18.0.21").signIn(Attempt.fresh(), email, PASSWORD).code();

        signInWithEmailStepUp(from("2001:db8::21"), mailbox);

        JsonNode login = latest("LOGIN");
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("medium");
        assertThat(login.at("/details/risk_score").asText()).isEqualTo("65"); // device 25 + country 30 + network 10
        assertThat(login.at("/details/risk_reasons").asText()).contains("new_device", "new_country", "new_network")
                .doesNotContain("impossible_travel");
    }

    @Test
    void berlinThenSydneyMinutesLaterIsImpossibleTravelAndDenied() {
        from("198.51.100.22").signIn(Attempt.fresh(), email, PASSWORD).code();

        HttpResponse<String> refused = from("203.0.113.22").submitLogin(Attempt.fresh(), email, PASSWORD);

        assertThat(refused.headers().firstValue("Location")).isEmpty();
        assertThat(refused.body()).contains("Invalid username or password").doesNotContain("travel").doesNotContain("Sydney");
        JsonNode error = latest("LOGIN_ERROR");
        assertThat(error.at("/details/risk_level").asText()).isEqualTo("high");
        assertThat(error.at("/details/risk_reasons").asText()).startsWith("impossible_travel").contains("new_country");
        assertThat(admin.events("acme", userId, "LOGIN")).as("only the Berlin login succeeded").hasSize(1);
    }

    @Test
    void shadowModeLetsImpossibleTravelThroughAndRecordsIt() {
        ObjectNode policy = originalPolicy.deepCopy();
        ((ObjectNode) policy.get("config")).put("shadow-mode", "true");
        admin.updateStepConfig("acme", policy);
        from("198.51.100.23").signIn(Attempt.fresh(), email, PASSWORD).code();

        from("203.0.113.23").signIn(Attempt.fresh(), email, PASSWORD).code();

        JsonNode login = latest("LOGIN");
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("high");
        assertThat(login.at("/details/risk_shadow").asText()).isEqualTo("true");
        assertThat(login.at("/details/risk_reasons").asText()).startsWith("impossible_travel");
    }

    @Test
    void travelIsNotJudgedFromAnAnonymizer(Mailbox mailbox) {
        OidcCodeFlow browser = from("198.51.100.24");
        browser.signIn(Attempt.fresh(), email, PASSWORD).code();

        signInWithEmailStepUp(browser.forgetSession().header("X-Forwarded-For", "203.0.113.245"), mailbox);

        JsonNode login = latest("LOGIN");
        assertThat(login.at("/details/risk_reasons").asText()).contains("anonymizer").doesNotContain("impossible_travel");
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("medium");
        assertThat(login.at("/details/risk_score").asText()).isEqualTo("60"); // new country 30 + new network 10 + anonymizer 20
    }

    @Test
    void aTamperedOrHugeDeviceCookieIsANewDevice() {
        OidcCodeFlow browser = from("198.51.100.25");
        browser.signIn(Attempt.fresh(), email, PASSWORD).code();

        for (String cookie : new String[] {"forged.c2lnbmF0dXJl", "x".repeat(3000), "y".repeat(60) + "." + "z".repeat(5000)}) {
            OidcCodeFlow other = from("198.51.100.25").header("Cookie", "CIAM_DEVICE=" + cookie);
            HttpResponse<String> response = other.submitLogin(Attempt.fresh(), email, PASSWORD);
            assertThat(response.statusCode()).isLessThan(500);
            assertThat(latest("LOGIN").at("/details/risk_reasons").asText()).contains("new_device");
        }
    }

    /**
     * A wrong password gets the answer an unknown name gets, cookies included: a new browser's device cookie comes
     * only with the right password (a device id set while the password was still unchecked told anyone trying
     * names which accounts exist).
     */
    @Test
    void aWrongPasswordGetsNoDeviceCookieSoTheAnswerDoesNotTellThatTheAccountExists() {
        HttpResponse<String> wrongPassword = from("203.0.113.12").submitLogin(Attempt.fresh(), email, "Wrong-Horse-42");
        HttpResponse<String> unknownName = from("203.0.113.12").submitLogin(Attempt.fresh(),
                "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test", "Wrong-Horse-42");
        HttpResponse<String> rightPassword = from("203.0.113.12").submitLogin(Attempt.fresh(), email, PASSWORD);

        assertThat(cookieNames(wrongPassword)).as("a wrong password sets the cookies an unknown name sets")
                .isEqualTo(cookieNames(unknownName)).doesNotContain("CIAM_DEVICE");
        assertThat(wrongPassword.statusCode()).isEqualTo(unknownName.statusCode());
        assertThat(cookieNames(rightPassword)).as("the right password on a new browser").contains("CIAM_DEVICE");
    }

    private static List<String> cookieNames(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .map(cookie -> cookie.substring(0, cookie.indexOf('='))).sorted().distinct().toList();
    }

    @Test
    void aHundredKilobyteCookieIsRefusedBeforeAnyLogin() {
        // Its own client: the server closes this connection, which must not be handed to the next test.
        java.net.http.HttpClient oneOff = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = Http.send(oneOff, java.net.http.HttpRequest.newBuilder(
                        URI.create(realm + "/protocol/openid-connect/auth?client_id=acme-web"))
                .header("Cookie", "CIAM_DEVICE=" + "x".repeat(100_000)).GET().build());

        assertThat(response.statusCode()).as("the server's header limit answers first").isBetween(400, 499);
        assertThat(response.body()).doesNotContain("Exception");
    }

    @Test
    void recentFailedPasswordsRaiseTheScore() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> wrong = from("203.0.113.80").submitLogin(Attempt.fresh(), email, "wrong-password");
            assertThat(wrong.headers().firstValue("Location")).isEmpty();
            Thread.sleep(1_200); // slower than the realm's quick-login check, which would lock the account for a minute
        }
        from("203.0.113.80").signIn(Attempt.fresh(), email, PASSWORD).code();

        JsonNode login = latest("LOGIN");
        assertThat(login.at("/details/risk_reasons").asText()).startsWith("recent_failures_same_address");
        assertThat(login.at("/details/risk_score").asText()).isEqualTo("24"); // 30 x min(1, 2 failures x 2 / 5)
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("low");
    }

    @Test
    void hostileForwardedHeadersGetADefinedOutcome() {
        // Up to 255 characters: Keycloak itself fails (500) storing a longer address in its event table, before
        // our code is involved; a proxy that overwrites X-Forwarded-For, as Keycloak requires, prevents that.
        for (String junk : new String[] {"not-an-ip", "999.999.1.1", "192.0.2.66.1", "<script>", "x".repeat(250)}) {
            HttpResponse<String> response = from(junk).submitLogin(Attempt.fresh(), email, PASSWORD);

            assertThat(response.statusCode()).as("answer to X-Forwarded-For '%.40s'", junk).isLessThan(500);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
        }
        assertThat(admin.events("acme", userId, "LOGIN")).as("junk headers still log the user in").isNotEmpty();
    }

    /** A medium-risk login of a customer without an authenticator app: completed with the code from the mail. */
    private void signInWithEmailStepUp(OidcCodeFlow browser, Mailbox mailbox) {
        int mailsBefore = mailbox.inbox(email).size();
        HttpResponse<String> stepUp = browser.follow(browser.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(stepUp, "ciam-email-otp-form")).as("e-mail code step-up").isTrue();
        Mailbox.Mail mail = mailbox.await(email, m -> mailbox.inbox(email).size() > mailsBefore, Duration.ofSeconds(30));
        List<Mailbox.Mail> inbox = mailbox.inbox(email);
        String code = inbox.get(inbox.size() - 1).text().replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
        assertThat(mail.subject()).isEqualTo("Your sign-in code");
        browser.callbackFrom(browser.follow(browser.submitForm(stepUp, "ciam-email-otp-form", Map.of("code", code))));
    }

    private OidcCodeFlow from(String forwardedFor) {
        return new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", forwardedFor);
    }

    private JsonNode latest(String type) {
        JsonNode events = admin.events("acme", userId, type);
        assertThat(events).as(type + " events of " + email).isNotEmpty();
        return events.get(0);
    }
}
