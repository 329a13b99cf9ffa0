package org.ciampack.it.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.SocialProvider;
import org.junit.jupiter.api.Test;

/**
 * A sign-in through an identity provider whose post login flow is the demo's {@code ciam identity provider sign-in}
 * is scored like one with the password and recorded in the login history: a customer's usual place passes, a new
 * device in a new country must give a code mailed to the address (and is then trusted), an address on the deny
 * list is refused, and so is a new country where the account has no second factor to ask for. Clients play their addresses with
 * X-Forwarded-For, which the test server trusts from loopback.
 */
@CiamIntegrationTest
class IdentityProviderRiskIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final String SOCIAL_PASSWORD = "Social-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String CODE_FORM = "ciam-email-otp-form";

    @Test
    void aSignInThroughTheProviderIsScoredSteppedUpOrRefused(ServerUnderTest server, AdminApi admin, Mailbox mailbox) {
        String email = "idp-risk-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        // The usual place (an address GeoIP cannot place): low risk, straight to the app.
        try (SocialProvider social = linkedAndUsedFrom(server, admin, userId, email, "198.18.0.71")) {
            assertThat(admin.events("acme", userId, "LOGIN").get(0).at("/details/identity_provider").asText())
                    .isEqualTo(social.alias());

            // A new browser in Paris: medium risk, so a code to the verified address before the app gets a code.
            OidcCodeFlow paris = from(server, "2001:db8::71");
            HttpResponse<String> stepUp = throughProvider(paris, social, email);
            assertThat(OidcCodeFlow.hasForm(stepUp, CODE_FORM)).as("e-mail code step-up on " + stepUp.body()).isTrue();
            Mailbox.Mail mail = mailbox.await(email, m -> m.subject().equals("Your sign-in code"), Duration.ofSeconds(30));
            String code = mail.text().replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
            paris.callbackFrom(paris.follow(paris.submitForm(stepUp, CODE_FORM, Map.of("code", code))));
            // Keycloak's LOGIN event, written after the post login flow, carries the assessment too.
            JsonNode login = admin.events("acme", userId, "LOGIN").get(0);
            assertThat(login.at("/details/identity_provider").asText()).isEqualTo(social.alias());
            assertThat(login.at("/details/risk_level").asText()).isEqualTo("medium");
            assertThat(login.at("/details/risk_reasons").asText()).contains("new_country");
            // Recorded in the login history like any scored sign-in: the customer is told, and the browser is trusted.
            Mailbox.Mail notice = mailbox.await(email, m -> m.subject().equals("New sign-in to your account"),
                    Duration.ofSeconds(30));
            assertThat(notice.text()).contains("Where: Paris, FR");
            paris.callbackFrom(throughProvider(paris.forgetSession(), social, email));

            // An address on the demo's deny list: refused with the generic message, no sign-in.
            int logins = admin.events("acme", userId, "LOGIN").size();
            HttpResponse<String> refused = throughProvider(from(server, "192.0.2.66"), social, email);
            assertThat(refused.headers().firstValue("Location").orElse("")).doesNotStartWith(APP.toString());
            assertThat(refused.body()).contains("We could not sign you in");
            assertThat(admin.events("acme", userId, "LOGIN")).hasSize(logins);
        }
    }

    /**
     * Medium risk with no second factor to ask for (no OTP, no passkey, and no verified address to mail a code to):
     * the sign-in through the provider is refused, as one with the password would be, and nothing is mailed.
     */
    @Test
    void aNewCountryWithNoSecondFactorToAskIsRefused(ServerUnderTest server, AdminApi admin, Mailbox mailbox) {
        String email = "idp-none-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        try (SocialProvider social = linkedAndUsedFrom(server, admin, userId, email, "198.18.0.72")) {

            // The address is no longer verified (e.g. changed since), so no code can be mailed to it.
            ObjectNode user = (ObjectNode) admin.get("/realms/acme/users/" + userId);
            assertThat(admin.send("PUT", "/realms/acme/users/" + userId, user.put("emailVerified", false))
                    .statusCode()).isEqualTo(204);

            int logins = admin.events("acme", userId, "LOGIN").size();
            HttpResponse<String> refused = throughProvider(from(server, "2001:db8::72"), social, email);
            assertThat(refused.headers().firstValue("Location").orElse("")).doesNotStartWith(APP.toString());
            assertThat(refused.body()).contains("We could not sign you in").doesNotContain(CODE_FORM);
            assertThat(admin.events("acme", userId, "LOGIN")).hasSize(logins);
            // Refused for want of a second factor at medium risk, not as high risk, whose answer reads the same.
            assertThat(admin.events("acme", userId, "IDENTITY_PROVIDER_POST_LOGIN_ERROR").get(0)
                    .at("/details/risk_level").asText()).isEqualTo("medium");
            Pause.millis(2_000); // a code would be on its way now
            assertThat(mailbox.inbox(email)).filteredOn(m -> m.subject().equals("Your sign-in code")).isEmpty();
        }
    }

    /**
     * A provider scored by the demo's post login flow, linked to the customer, who has signed in through it once from
     * their usual place (low risk, straight to the app).
     */
    private static SocialProvider linkedAndUsedFrom(ServerUnderTest server, AdminApi admin, String userId, String email,
            String usualPlace) {
        SocialProvider social = SocialProvider.create(server, admin, SOCIAL_PASSWORD, email)
                .afterEverySignIn("ciam identity provider sign-in");
        try {
            social.linkTo(userId, email);
            OidcCodeFlow home = from(server, usualPlace);
            home.callbackFrom(throughProvider(home, social, email));
            return social;
        } catch (RuntimeException | AssertionError e) {
            social.close(); // the test never gets it to close
            throw e;
        }
    }

    /** From the app's authorization request through the provider's login and back: the page or redirect it ends on. */
    private static HttpResponse<String> throughProvider(OidcCodeFlow browser, SocialProvider social, String email) {
        HttpResponse<String> login = browser.send("GET", browser.authorizationUrl(Attempt.fresh()), Map.of());
        Matcher button = Pattern.compile("href=\"([^\"]*/broker/" + Pattern.quote(social.alias()) + "/login[^\"]*)\"")
                .matcher(login.body());
        assertThat(button.find()).as("the provider's button on " + login.uri()).isTrue();
        HttpResponse<String> providerLogin = browser.follow(browser.send("GET",
                login.uri().resolve(button.group(1).replace("&amp;", "&")), Map.of()));
        assertThat(OidcCodeFlow.hasForm(providerLogin, "kc-form-login")).as("the provider's login page").isTrue();
        return browser.follow(browser.submitForm(providerLogin, "kc-form-login",
                Map.of("username", email, "password", SOCIAL_PASSWORD, "credentialId", "")));
    }

    private static OidcCodeFlow from(ServerUnderTest server, String forwardedFor) {
        return new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", forwardedFor);
    }
}
