package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.consent.Ledgers;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.ConsentPage;
import org.ciampack.it.pages.LoginPage;
import org.ciampack.it.pages.ProfilingPage;
import org.ciampack.it.pages.RegistrationPage;
import org.ciampack.it.pages.UpdatePasswordPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chromium.HasCdp;

/**
 * The pack's pages and e-mails ship with its steps, so a realm on Keycloak's own themes gets them too: the demo
 * realm, switched for the test from the brand's {@code ciam} themes to Keycloak's older login theme {@code keycloak}
 * (its templates are base's: no keycloak.v2 macro is there to lean on; keycloak.v2 is what every other test renders
 * the pages in, under the {@code ciam} theme) and Keycloak's e-mail theme.
 */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class StockThemesIT {

    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String PASSWORD = "Stock-Theme-Password-42";

    /**
     * Keycloak's registration form has no place for the consent purposes: the account is created, and the consent
     * page (the demo realm has the ciam-consent required action on) asks them, with the realm's texts, before the app
     * gets a code. The next sign-in asks the profile.
     */
    @Test
    void aNewCustomerOnKeycloaksLoginThemeIsAskedTheConsentsBeforeTheAppAndTheProfileLater(ServerUnderTest server,
            AdminApi admin, Mailbox mailbox, Browser browser) {
        URI realm = server.realmUrl("acme");
        String email = "stock-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        try (KeycloaksThemes themes = new KeycloaksThemes(admin)) {
            browser.open(new OidcCodeFlow(realm, "acme-web", APP).authorizationUrl(Attempt.fresh()));
            RegistrationPage registration = new LoginPage(browser).openRegistration();
            assertThat(browser.driver().findElements(By.cssSelector("link[href*='/login/ciam/']")))
                    .as("the page is the stock theme's").isEmpty();
            assertThat(browser.driver().findElements(By.cssSelector("#kc-register-form input[type=checkbox]")))
                    .as("the stock registration form shows no purposes").isEmpty();
            registration.submit(email);
            browser.until(driver -> driver.getCurrentUrl().contains("execution=VERIFY_EMAIL"));
            String userId = admin.findUserByEmail("acme", email).get("id").asText();
            assertThat(Ledgers.ledger(admin, userId)).as("nothing decided on a form that showed nothing").isEmpty();

            Mailbox.Mail verify = mailbox.await(email, m -> m.subject().toLowerCase().contains("verify"),
                    Duration.ofSeconds(30));
            browser.open(verify.linkContaining("/login-actions/action-token"));
            new UpdatePasswordPage(browser).choose(PASSWORD);

            ConsentPage consent = new ConsentPage(browser);
            assertThat(consent.purposesAsked()).containsExactly("terms", "privacy", "marketing_email");
            assertThat(consent.text("terms")).as("the realm's own texts").contains("Terms of service");
            assertThat(consent.text("privacy")).contains("Privacy notice");
            consent.submit();
            browser.await(By.id("consent.terms-error"));
            assertThat(consent.fieldError("terms")).isEqualTo("Please accept this to continue.");
            new ConsentPage(browser).accept("terms", "privacy");
            browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
            JsonNode ledger = Ledgers.ledger(admin, userId);
            assertThat(Ledgers.decisions(ledger)).containsExactlyInAnyOrder(
                    "terms:1:granted", "privacy:1:granted", "marketing_email:1:declined");
            ledger.forEach(receipt -> assertThat(receipt.get("source").asText()).as("decided at registration")
                    .isEqualTo("registration"));

            // A new sign-in: every cookie goes, not only those of the app's page the browser is on.
            ((HasCdp) browser.driver()).executeCdpCommand("Network.clearBrowserCookies", Map.of());
            browser.open(new OidcCodeFlow(realm, "acme-web", APP).authorizationUrl(Attempt.fresh()));
            new LoginPage(browser).signIn(email, PASSWORD);
            ProfilingPage profiling = new ProfilingPage(browser);
            assertThat(profiling.questions()).containsExactly("phone");
            assertThat(profiling.canSkip()).isTrue();
            profiling.notNow();
            browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
        }
    }

    /** Without the ciam-consent required action nothing would ask after the account exists: the form is refused. */
    @Test
    void withoutTheConsentActionARegistrationThatShowedNoPurposesIsRefused(ServerUnderTest server, AdminApi admin,
            Browser browser) {
        String email = "stock-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String action = "/realms/acme/authentication/required-actions/ciam-consent";
        ObjectNode consentAction = (ObjectNode) admin.get(action);
        try (KeycloaksThemes themes = new KeycloaksThemes(admin)) {
            assertThat(admin.send("PUT", action, consentAction.deepCopy().put("enabled", false)).statusCode())
                    .isEqualTo(204);
            browser.open(new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).authorizationUrl(Attempt.fresh()));
            new LoginPage(browser).openRegistration().submit(email);
            browser.await(By.id("kc-register-form"));
            assertThat(browser.driver().findElement(By.tagName("body")).getText())
                    .contains("We cannot complete your registration on this page, as it does not show what you need "
                            + "to accept.");
            assertThat(admin.findUserByEmail("acme", email)).as("no account").isNull();
        } finally {
            assertThat(admin.send("PUT", action, consentAction).statusCode()).isEqualTo(204);
        }
    }

    /** The e-mail code page on the older login theme, and both of the pack's e-mails on Keycloak's e-mail theme. */
    @Test
    void theEmailCodeAndTheNewSignInNoticeOnKeycloaksThemes(ServerUnderTest server, AdminApi admin, Mailbox mailbox) {
        URI realm = server.realmUrl("acme");
        String email = "stock-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
        try (KeycloaksThemes themes = new KeycloaksThemes(admin)) {
            new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", "198.18.0.52")
                    .signIn(Attempt.fresh(), email, PASSWORD).code();

            OidcCodeFlow paris = new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", "2001:db8::52");
            HttpResponse<String> stepUp = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));
            assertThat(OidcCodeFlow.hasForm(stepUp, "ciam-email-otp-form")).as("the e-mail code page").isTrue();
            // The older theme heads a page of a known user with the username instead of the page's title.
            assertThat(stepUp.body()).doesNotContain("/login/ciam/").contains("/login/keycloak/")
                    .contains("we sent to " + email.charAt(0) + "***@acme.test")
                    .contains("id=\"ciam-email-otp-resend\"");

            HttpResponse<String> wrong = paris.submitForm(stepUp, "ciam-email-otp-form", Map.of("code", "000000x"));
            assertThat(wrong.body()).contains("That code is not right").contains("id=\"input-error-code\"");

            Mailbox.Mail mail = mailbox.await(email, m -> m.subject().equals("Your sign-in code"), Duration.ofSeconds(30));
            String code = mail.text().replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
            assertThat(mail.text()).contains("It is valid for");
            assertThat(mail.html()).as("the HTML form, in Keycloak's e-mail layout").contains("<b>" + code + "</b>");
            paris.callbackFrom(paris.follow(paris.submitForm(wrong, "ciam-email-otp-form", Map.of("code", code))));

            Mailbox.Mail notice = mailbox.await(email, m -> m.subject().equals("New sign-in to your account"),
                    Duration.ofSeconds(30));
            assertThat(notice.text()).contains("Where: Paris, FR");
            assertThat(notice.html()).contains("<b>Paris, FR</b>").contains("/realms/acme/account/");
        }
    }

    /** Switches the demo realm to Keycloak's login and e-mail themes, and back to the brand's when closed. */
    private static final class KeycloaksThemes implements AutoCloseable {

        private final AdminApi admin;
        private final String login;
        private final String email;

        KeycloaksThemes(AdminApi admin) {
            this.admin = admin;
            JsonNode realm = admin.get("/realms/acme");
            this.login = realm.get("loginTheme").asText();
            this.email = realm.get("emailTheme").asText();
            set("keycloak", "keycloak");
        }

        private void set(String loginTheme, String emailTheme) {
            ObjectNode themes = Http.JSON.createObjectNode().put("loginTheme", loginTheme).put("emailTheme", emailTheme);
            assertThat(admin.send("PUT", "/realms/acme", themes).statusCode()).isEqualTo(204);
        }

        @Override
        public void close() {
            set(login, email);
        }
    }
}
