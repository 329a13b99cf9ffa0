package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.harness.Totp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A medium-risk login must prove it is the user with their own second factor: OTP when they have it, else a code to
 * a verified address; a user with neither cannot step up and is denied, never let through. Medium risk: a new
 * browser in Paris after a first login from an address GeoIP cannot place.
 */
@CiamIntegrationTest
class StepUpBranchIT {

    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String PASSWORD = "Correct-Horse-42";

    private AdminApi admin;
    private URI realm;

    @BeforeEach
    void server(ServerUnderTest server, AdminApi admin) {
        this.admin = admin;
        realm = server.realmUrl("acme");
    }

    @Test
    void aUserWithAVerifiedAddressAndNoAppGetsTheEmailCode() {
        String email = customer("198.18.0.71");

        OidcCodeFlow paris = from("2001:db8::71");
        HttpResponse<String> stepUp = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));

        assertThat(OidcCodeFlow.hasForm(stepUp, "ciam-email-otp-form")).isTrue();
        assertThat(OidcCodeFlow.hasForm(stepUp, "kc-otp-login-form")).isFalse();
    }

    @Test
    void aUserWithAnUnverifiedAddressAndNoAppIsDenied() {
        String email = customer("198.18.0.72");
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        // The address has since changed and is not verified yet: a code to it would prove nothing.
        ObjectNode unverified = Http.JSON.createObjectNode().put("emailVerified", false);
        assertThat(admin.send("PUT", "/realms/acme/users/" + userId, unverified).statusCode()).isEqualTo(204);

        OidcCodeFlow paris = from("2001:db8::72");
        HttpResponse<String> denied = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));

        assertThat(denied.headers().firstValue("Location").orElse("")).doesNotStartWith(APP.toString());
        assertThat(denied.body()).contains("We could not sign you in").doesNotContain("ciam-email-otp-form")
                .doesNotContain("kc-otp-login-form");
        assertThat(admin.events("acme", userId, "LOGIN")).as("only the first, ordinary login").hasSize(1);
        assertThat(admin.events("acme", userId, "LOGIN_ERROR").get(0).at("/details/risk_level").asText()).isEqualTo("medium");
    }

    @Test
    void aUserWithAnAuthenticatorAppGetsOtp() {
        String email = "stepup-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        ObjectNode requiredTotp = Http.JSON.createObjectNode();
        requiredTotp.putArray("requiredActions").add("CONFIGURE_TOTP");
        assertThat(admin.send("PUT", "/realms/acme/users/" + userId, requiredTotp).statusCode()).isEqualTo(204);
        OidcCodeFlow usual = from("198.18.0.73");
        HttpResponse<String> setup = usual.follow(usual.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(setup, "kc-totp-settings-form")).isTrue();
        String secret = OidcCodeFlow.hiddenField(setup, "totpSecret");
        usual.callbackFrom(usual.follow(usual.submitForm(setup, "kc-totp-settings-form", Map.of(
                "totp", Totp.code(secret, Instant.now()), "totpSecret", secret, "userLabel", "phone"))));

        OidcCodeFlow paris = from("2001:db8::73");
        HttpResponse<String> stepUp = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));

        assertThat(OidcCodeFlow.hasForm(stepUp, "kc-otp-login-form")).as("OTP, the user's own factor").isTrue();
    }

    /** A customer without an app whose first login was from {@code address}; returns the e-mail. */
    private String customer(String address) {
        String email = "stepup-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
        from(address).signIn(Attempt.fresh(), email, PASSWORD).code();
        return email;
    }

    private OidcCodeFlow from(String forwardedFor) {
        return new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", forwardedFor);
    }
}
