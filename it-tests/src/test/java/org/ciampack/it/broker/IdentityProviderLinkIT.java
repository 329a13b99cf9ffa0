package org.ciampack.it.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.harness.Totp;
import org.ciampack.it.pages.SocialProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * A customer with an account arrives from an identity provider with the same address for the first time. The demo's
 * first-broker-login flow links the provider to the account only once the customer follows the link mailed to
 * that address: it offers no password form, which would link an account on the password alone, past the risk
 * checks of the sign-in. Each journey starts at the app and ends with the sign-in the app asked for.
 */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class IdentityProviderLinkIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final String SOCIAL_PASSWORD = "Social-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final Pattern PROCEED = Pattern.compile("href=\"([^\"]*/login-actions/action-token[^\"]*)\"");

    @Test
    void theLinkMailedToTheAddressLinksTheAccountAndNoPasswordIsOffered(ServerUnderTest server, AdminApi admin,
            Mailbox mailbox, Browser browser) {
        String email = "link-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        try (SocialProvider social = SocialProvider.create(server, admin, SOCIAL_PASSWORD, email)) {
            arriveAndAskToLink(server, browser, social, email);
            assertThat(browser.driver().findElements(By.id("try-another-way"))).as("no other way to link").isEmpty();
            assertThat(admin.get("/realms/acme/authentication/flows/ciam%20first%20broker%20login/executions")
                    .findValuesAsText("providerId")).as("no password step in the flow")
                    .contains("idp-email-verification").doesNotContain("idp-username-password-form");
            assertThat(linkedProviders(admin, userId)).as("nothing linked before the link is followed").isEmpty();

            browser.open(mailedLink(mailbox, email));

            assertThat(linkedProviders(admin, userId)).containsExactly(social.alias());
            JsonNode login = admin.events("acme", userId, "LOGIN").get(0);
            assertThat(login.at("/details/identity_provider").asText()).isEqualTo(social.alias());
            assertThat(login.at("/details/redirect_uri").asText()).as("the sign-in the app asked for")
                    .isEqualTo(APP.toString());
        }
    }

    @Test
    void theLinkOpenedOnAnotherDeviceLetsTheFirstBrowserContinue(ServerUnderTest server, AdminApi admin,
            Mailbox mailbox, Browser browser) {
        String email = "link-phone-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        try (SocialProvider social = SocialProvider.create(server, admin, SOCIAL_PASSWORD, email)) {
            arriveAndAskToLink(server, browser, social, email);

            // The phone has no session: it asks to confirm, then tells the customer to go back to the first browser.
            OidcCodeFlow phone = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
            HttpResponse<String> confirm = phone.send("GET", mailedLink(mailbox, email), Map.of());
            assertThat(confirm.statusCode()).isEqualTo(200);
            Matcher proceed = PROCEED.matcher(confirm.body());
            assertThat(proceed.find()).as("a link to confirm on " + confirm.body()).isTrue();
            HttpResponse<String> confirmed = phone.follow(phone.send("GET",
                    confirm.uri().resolve(proceed.group(1).replace("&amp;", "&")), Map.of()));
            assertThat(confirmed.body()).contains("go back to your original browser");
            assertThat(linkedProviders(admin, userId)).as("linked once the first browser continues").isEmpty();

            browser.driver().navigate().refresh();
            browser.until(driver -> !linkedProviders(admin, userId).isEmpty());
            assertThat(linkedProviders(admin, userId)).containsExactly(social.alias());
            assertThat(admin.events("acme", userId, "LOGIN").get(0).at("/details/redirect_uri").asText())
                    .isEqualTo(APP.toString());
        }
    }

    /** An account with an authenticator app is linked only once its code follows the mailed link. */
    @Test
    void anAccountWithASecondFactorAsksForItAfterTheMailedLink(ServerUnderTest server, AdminApi admin, Mailbox mailbox,
            Browser browser) throws InterruptedException {
        String email = "link-otp-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        AuthenticatorApp app = AuthenticatorApp.enrol(server, admin, userId, email, "198.18.0.81");
        try (SocialProvider social = SocialProvider.create(server, admin, SOCIAL_PASSWORD, email)) {
            arriveAndAskToLink(server, browser, social, email);
            browser.open(mailedLink(mailbox, email));

            linkedOnlyOnceTheCodeIsGiven(admin, browser, userId, social, app);
        }
    }

    /**
     * The link confirmed on another device marks the account as verified for the provider for a while; a new sign-in
     * through the provider then links it at once (Keycloak's "create user if unique"), and must still ask for the
     * account's second factor.
     */
    @Test
    void aNewSignInAfterTheLinkWasConfirmedElsewhereStillAsksForTheSecondFactor(ServerUnderTest server,
            AdminApi admin, Mailbox mailbox, Browser browser) throws InterruptedException {
        String email = "link-otp-phone-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        AuthenticatorApp app = AuthenticatorApp.enrol(server, admin, userId, email, "198.18.0.82");
        try (SocialProvider social = SocialProvider.create(server, admin, SOCIAL_PASSWORD, email)) {
            arriveAndAskToLink(server, browser, social, email);
            OidcCodeFlow phone = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
            HttpResponse<String> confirm = phone.send("GET", mailedLink(mailbox, email), Map.of());
            Matcher proceed = PROCEED.matcher(confirm.body());
            assertThat(proceed.find()).as("a link to confirm on " + confirm.body()).isTrue();
            assertThat(phone.follow(phone.send("GET", confirm.uri().resolve(proceed.group(1).replace("&amp;", "&")),
                    Map.of())).body()).contains("go back to your original browser");

            // a new sign-in, not the first browser's: every cookie goes, the provider's session and acme's
            browser.forgetCookies();
            browser.open(new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).authorizationUrl(Attempt.fresh()));
            social.signIn(browser, email, SOCIAL_PASSWORD);

            linkedOnlyOnceTheCodeIsGiven(admin, browser, userId, social, app);
        }
    }

    /**
     * A realm without a mail server cannot mail the link: the customer reads how to link the provider from their
     * account instead (not Keycloak's generic error), nothing is linked, and the event says why.
     */
    @Test
    void withoutAMailServerTheCustomerIsToldToLinkFromTheirAccountAndNothingIsLinked(ServerUnderTest server,
            AdminApi admin, Mailbox mailbox, Browser browser) {
        String email = "link-nomail-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        JsonNode smtp = admin.get("/realms/acme").get("smtpServer");
        try (SocialProvider social = SocialProvider.create(server, admin, SOCIAL_PASSWORD, email)) {
            putSmtp(admin, Http.JSON.createObjectNode());
            browser.open(new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).authorizationUrl(Attempt.fresh()));
            social.signIn(browser, email, SOCIAL_PASSWORD);
            browser.await(By.id("linkAccount")).click();

            assertThat(browser.await(By.id("ciam-link-from-account")).getText())
                    .isEqualTo("We could not confirm by e-mail that the existing account is yours, so Social "
                            + social.alias() + " has not been linked to it.");
            assertThat(browser.await(By.tagName("body")).getText()).contains("under Linked accounts")
                    .doesNotContain("unexpected error");
            assertThat(browser.driver().findElements(By.id("try-another-way"))).isEmpty();
            assertThat(linkedProviders(admin, userId)).isEmpty();
            assertThat(linkRefused(admin, social)).as("one event, naming the account")
                    .containsExactly("no_mail_server " + userId);
        } finally {
            putSmtp(admin, smtp);
        }
        assertThat(mailbox.inbox(email)).as("no mail could go").isEmpty();
    }

    /**
     * An address changed on the review page to another customer's cannot be proven by a mailed link (Keycloak mails
     * none then): that customer's account is not linked, and the page says how to link from one's own account.
     */
    @Test
    void anAddressChangedOnReviewToAnotherAccountsLinksNothing(ServerUnderTest server, AdminApi admin, Mailbox mailbox,
            Browser browser) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "link-review-" + run + "@acme.test";
        String other = "link-victim-" + run + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        String otherId = admin.createUser("acme", other, PASSWORD, true);
        try (SocialProvider social = SocialProvider.create(server, admin, SOCIAL_PASSWORD, email)) {
            browser.open(new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).authorizationUrl(Attempt.fresh()));
            social.signIn(browser, email, SOCIAL_PASSWORD);
            browser.await(By.id("updateProfile")).click();
            var address = browser.await(By.id("email"));
            address.clear();
            address.sendKeys(other);
            address.submit();
            browser.await(By.id("linkAccount")).click();

            assertThat(browser.await(By.id("ciam-link-from-account")).getText()).contains("has not been linked");
            assertThat(linkedProviders(admin, otherId)).as("the other customer's account").isEmpty();
            assertThat(linkedProviders(admin, userId)).isEmpty();
            assertThat(linkRefused(admin, social)).as("one event, naming the account aimed at")
                    .containsExactly("changed_on_review " + otherId);
        }
        assertThat(mailbox.inbox(other)).as("nothing mailed to the other customer").isEmpty();
    }

    private static void putSmtp(AdminApi admin, JsonNode smtp) {
        com.fasterxml.jackson.databind.node.ObjectNode realm = Http.JSON.createObjectNode();
        realm.set("smtpServer", smtp);
        assertThat(admin.send("PUT", "/realms/acme", realm).statusCode()).as("acme's mail server").isEqualTo(204);
    }

    /** Reason and account of each first broker login through this provider that ended on the link-from-account page. */
    private static java.util.List<String> linkRefused(AdminApi admin, SocialProvider social) {
        java.util.List<String> reasons = new java.util.ArrayList<>();
        for (JsonNode event : admin.get("/realms/acme/events?type=IDENTITY_PROVIDER_FIRST_LOGIN_ERROR")) {
            if (social.alias().equals(event.at("/details/identity_provider").asText())
                    && "ciam_link_by_mail_unavailable".equals(event.path("error").asText())) {
                reasons.add(event.at("/details/reason").asText() + " " + event.path("userId").asText());
            }
        }
        return reasons;
    }

    /** An authenticator app enrolled on the account by a password sign-in from {@code address}. */
    private record AuthenticatorApp(String secret, Instant enrolledAt) {

        static AuthenticatorApp enrol(ServerUnderTest server, AdminApi admin, String userId, String email,
                String address) {
            admin.requireActions("acme", userId, "CONFIGURE_TOTP");
            OidcCodeFlow earlier = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP)
                    .header("X-Forwarded-For", address);
            HttpResponse<String> setup = earlier.follow(earlier.submitLogin(Attempt.fresh(), email, PASSWORD));
            String secret = OidcCodeFlow.hiddenField(setup, "totpSecret");
            Instant enrolledAt = Instant.now();
            earlier.callbackFrom(earlier.follow(earlier.submitForm(setup, "kc-totp-settings-form", Map.of(
                    "totp", Totp.code(secret, enrolledAt), "totpSecret", secret, "userLabel", "phone"))));
            return new AuthenticatorApp(secret, enrolledAt);
        }

        /** A code the account has not used yet: the next 30-second step's after the enrolment. */
        String nextCode() throws InterruptedException {
            return Totp.code(secret, Totp.nextStep(enrolledAt));
        }
    }

    /** On the account's OTP page: nothing linked yet; the app's code links the provider. */
    private static void linkedOnlyOnceTheCodeIsGiven(AdminApi admin, Browser browser, String userId,
            SocialProvider social, AuthenticatorApp app) throws InterruptedException {
        browser.await(By.id("otp"));
        assertThat(linkedProviders(admin, userId)).as("not linked on the mailbox alone").isEmpty();
        browser.driver().findElement(By.id("otp")).sendKeys(app.nextCode());
        browser.driver().findElement(By.id("kc-login")).click();
        browser.until(driver -> !linkedProviders(admin, userId).isEmpty());
        assertThat(linkedProviders(admin, userId)).containsExactly(social.alias());
    }

    /** From the app to the provider and back: Keycloak finds the account and mails the link on request. */
    private static void arriveAndAskToLink(ServerUnderTest server, Browser browser, SocialProvider social, String email) {
        browser.open(new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).authorizationUrl(Attempt.fresh()));
        social.signIn(browser, email, SOCIAL_PASSWORD);
        assertThat(browser.await(By.tagName("body")).getText()).contains("Account already exists");
        browser.await(By.id("linkAccount")).click();
        assertThat(browser.await(By.tagName("body")).getText())
                .contains("An email with instructions to link " + social.alias().replace("social-", "Social social-"));
    }

    private static URI mailedLink(Mailbox mailbox, String email) {
        return mailbox.await(email, mail -> mail.subject().startsWith("Link "), Duration.ofSeconds(30))
                .linkContaining("/login-actions/action-token");
    }

    private static java.util.List<String> linkedProviders(AdminApi admin, String userId) {
        java.util.List<String> aliases = new java.util.ArrayList<>();
        admin.get("/realms/acme/users/" + userId + "/federated-identity")
                .forEach(identity -> aliases.add(identity.get("identityProvider").asText()));
        return aliases;
    }
}
