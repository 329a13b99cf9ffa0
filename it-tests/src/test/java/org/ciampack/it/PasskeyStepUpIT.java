package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.LoginPage;
import org.ciampack.it.pages.SocialProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A customer whose second factor is a passkey: a sign-in at medium risk (a new device in a new country) asks for
 * the passkey, with the password and through an identity provider, and the app gets its code once the device's
 * authenticator answers. A real Chromium with a virtual platform authenticator (WebAuthn) against the demo's flows.
 */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class PasskeyStepUpIT {

    private static final String PASSWORD = "Passkey-Customer-42";
    private static final String SOCIAL_PASSWORD = "Passkey-Social-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    /** An address GeoIP cannot place: no travel to judge from it later. */
    private static final String USUAL_PLACE = "198.18.0.93";
    /** Paris in the demo's GeoIP database. */
    private static final String PARIS = "2001:db8::93";

    private ServerUnderTest server;
    private AdminApi admin;
    private String email;
    private String userId;

    @BeforeEach
    void customer(ServerUnderTest server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        email = "passkey-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        userId = admin.createUser("acme", email, PASSWORD, true);
    }

    @Test
    void aNewCountryAsksForThePasskey(Browser browser) {
        registerPasskeyAtAnOrdinarySignIn(browser);

        // The same phone's passkey store, a new browser on it, in Paris: medium risk.
        browser.forgetCookies().from(PARIS);
        browser.open(authorizationUrl());
        new LoginPage(browser).signIn(email, PASSWORD);
        answerWithThePasskey(browser);

        assertThat(browser.currentUrl()).as("the app gets its code").startsWith(APP + "?").contains("code=");
        assertThat(latestLogin().at("/details/risk_level").asText()).isEqualTo("medium");
    }

    @Test
    void throughAnIdentityProviderFromANewCountryThePasskeyIsAskedToo(Browser browser) {
        registerPasskeyAtAnOrdinarySignIn(browser);
        try (SocialProvider social = SocialProvider.create(server, admin, SOCIAL_PASSWORD, email)
                .afterEverySignIn("ciam identity provider sign-in")) {
            social.linkTo(userId, email);
            int logins = admin.events("acme", userId, "LOGIN").size();

            browser.forgetCookies().from(PARIS);
            browser.open(authorizationUrl());
            social.signIn(browser, email, SOCIAL_PASSWORD);
            answerWithThePasskey(browser);

            assertThat(browser.currentUrl()).as("the app gets its code").startsWith(APP + "?").contains("code=");
            assertThat(admin.events("acme", userId, "LOGIN")).hasSize(logins + 1);
            JsonNode login = latestLogin();
            assertThat(login.at("/details/identity_provider").asText()).isEqualTo(social.alias());
            assertThat(login.at("/details/risk_level").asText()).as("written after the post login flow")
                    .isEqualTo("medium");
        }
    }

    /**
     * The customer signs in from their usual place and, asked by the realm (a required action the admin set), adds a
     * passkey of this device; the app then gets its code.
     */
    private void registerPasskeyAtAnOrdinarySignIn(Browser browser) {
        ObjectNode required = Http.JSON.createObjectNode();
        required.putArray("requiredActions").add("webauthn-register");
        assertThat(admin.send("PUT", "/realms/acme/users/" + userId, required).statusCode()).isEqualTo(204);
        browser.passkeys();
        browser.from(USUAL_PLACE).open(authorizationUrl());
        new LoginPage(browser).signIn(email, PASSWORD);
        browser.await(By.id("registerWebAuthn"));
        browser.capture("passkey-register");
        browser.driver().findElement(By.id("registerWebAuthn")).click();
        // Keycloak's page asks for the passkey's name in a prompt once the authenticator has made it
        browser.until(ExpectedConditions.alertIsPresent()).sendKeys("Phone");
        browser.driver().switchTo().alert().accept();
        browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
        JsonNode credentials = admin.get("/realms/acme/users/" + userId + "/credentials");
        assertThat(credentials.findValuesAsText("type")).as("a passkey registered").contains("webauthn");
        // written after the required action, a request after the risk step's
        assertThat(latestLogin().at("/details/risk_level").asText()).isEqualTo("low");
    }

    /** The step-up page for a passkey, answered by the device's authenticator. */
    private static void answerWithThePasskey(Browser browser) {
        browser.await(By.id("authenticateWebAuthnButton"));
        browser.capture("passkey-step-up");
        assertThat(browser.driver().findElements(By.id("otp"))).as("no one-time code asked").isEmpty();
        assertThat(browser.driver().findElements(By.id("ciam-email-otp-form"))).as("no code mailed: not its form")
                .isEmpty();
        browser.driver().findElement(By.id("authenticateWebAuthnButton")).click();
        browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
    }

    private URI authorizationUrl() {
        return new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).authorizationUrl(Attempt.fresh());
    }

    private JsonNode latestLogin() {
        JsonNode events = admin.events("acme", userId, "LOGIN");
        assertThat(events).as("LOGIN events of " + email).isNotEmpty();
        return events.get(0);
    }
}
