package org.ciampack.it.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.ConsentPage;
import org.ciampack.it.pages.LoginPage;
import org.ciampack.it.pages.ProfilingPage;
import org.ciampack.it.pages.RegistrationPage;
import org.ciampack.it.pages.SocialProvider;
import org.ciampack.it.pages.UpdatePasswordPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Consents come before anything else the pack asks, on every way into an account: the registration form, the first
 * login through an identity provider and the next login after a new notice. Progressive profiling asks only under
 * accepted notices, and each journey starts at an app of the demo realm and ends back there with a code.
 */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class ConsentOrderIT {

    private static final String PASSWORD = "Consent-Order-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    @Test
    void aNewCustomerOfTheShopConsentsOnTheFormBeforeTheShopAsksTheAddress(ServerUnderTest server, AdminApi admin,
            Mailbox mailbox, Browser browser) {
        String email = "order-new-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        browser.open(new OidcCodeFlow(server.realmUrl("acme"), "acme-shop", APP).authorizationUrl(Attempt.fresh()));
        RegistrationPage registration = new LoginPage(browser).openRegistration();
        assertThat(browser.driver().findElements(By.id("consent.terms"))).as("the consents are on the form").isNotEmpty();
        assertThat(browser.driver().findElements(By.id("address"))).as("no profile question on the form").isEmpty();
        registration.submit(email, "consent.terms", "consent.privacy");

        ProfilingPage questions = new ProfilingPage(browser);
        assertThat(questions.questions()).as("then what the shop needs").containsExactly("address");
        JsonNode user = admin.findUserByEmail("acme", email);
        assertThat(Ledgers.decisions(Ledgers.ledger(admin, user.get("id").asText())))
                .as("the notices were accepted before the question")
                .contains("terms:" + Ledgers.version(admin, "terms") + ":granted",
                        "privacy:" + Ledgers.version(admin, "privacy") + ":granted");
        questions.fill("address", "1 Order Street, Springfield").save();

        browser.open(mailbox.await(email, mail -> mail.subject().toLowerCase().contains("verify"), Duration.ofSeconds(30))
                .linkContaining("/login-actions/action-token"));
        new UpdatePasswordPage(browser).choose(PASSWORD);
        browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
        assertThat(browser.currentUrl()).as("the journey ends at the shop").contains("code=");
        assertThat(admin.findUserByEmail("acme", email).at("/attributes/address/0").asText())
                .isEqualTo("1 Order Street, Springfield");
    }

    @Test
    void aCustomerArrivingFromAnIdentityProviderConsentsBeforeTheAccountAndTheAddressAreMade(ServerUnderTest server,
            AdminApi admin, Browser browser) {
        String email = "order-social-" + UUID.randomUUID().toString().substring(0, 8) + "@social.test";
        try (SocialProvider social = SocialProvider.create(server, admin, PASSWORD, email)) {
            browser.open(new OidcCodeFlow(server.realmUrl("acme"), "acme-shop", APP).authorizationUrl(Attempt.fresh()));
            social.signIn(browser, email, PASSWORD);

            ConsentPage consent = new ConsentPage(browser);
            assertThat(consent.purposesAsked()).as("the consents first")
                    .containsExactlyInAnyOrder("terms", "privacy", "marketing_email");
            assertThat(admin.findUserByEmail("acme", email)).as("no account before the consents").isNull();
            consent.accept("terms", "privacy");

            ProfilingPage questions = new ProfilingPage(browser);
            assertThat(questions.questions()).as("then what the shop needs").containsExactly("address");
            JsonNode user = admin.findUserByEmail("acme", email);
            assertThat(Ledgers.decisions(Ledgers.ledger(admin, user.get("id").asText())))
                    .containsExactlyInAnyOrder("terms:" + Ledgers.version(admin, "terms") + ":granted",
                            "privacy:" + Ledgers.version(admin, "privacy") + ":granted",
                            "marketing_email:" + Ledgers.version(admin, "marketing_email") + ":declined");
            questions.fill("address", "2 Broker Road, Springfield").save();

            browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
            assertThat(browser.currentUrl()).as("the journey ends at the shop").contains("code=");
            assertThat(admin.findUserByEmail("acme", email).at("/attributes/address/0").asText())
                    .isEqualTo("2 Broker Road, Springfield");
        }
    }

    @Test
    void aNewNoticeIsAcceptedBeforeAnyProfileQuestionAndTheLoginEndsAtTheApp(ServerUnderTest server, AdminApi admin,
            Browser browser) {
        URI realm = server.realmUrl("acme");
        // A returning customer whose phone progressive profiling asks from the second login on.
        String email = "order-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true, Map.of("birthdate", "1985-04-12"));
        browser.open(new OidcCodeFlow(realm, "acme-web", APP).authorizationUrl(Attempt.fresh()));
        new LoginPage(browser).signIn(email, PASSWORD);
        browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));

        int version = Ledgers.publishNextPrivacyVersion(admin);
        browser.open(URI.create(realm + "/.well-known/openid-configuration"));
        browser.driver().manage().deleteAllCookies(); // the server's: signed out, the next login is a real one
        browser.open(new OidcCodeFlow(realm, "acme-web", APP).authorizationUrl(Attempt.fresh()));
        new LoginPage(browser).signIn(email, PASSWORD);
        ConsentPage consent = new ConsentPage(browser);
        assertThat(consent.purposesAsked()).as("the notice first").containsExactly("privacy");
        consent.accept("privacy");
        ProfilingPage questions = new ProfilingPage(browser);
        assertThat(questions.questions()).as("then the profile, under the accepted notice").containsExactly("phone");
        questions.notNow();
        browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
        assertThat(browser.currentUrl()).contains("code=");

        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        assertThat(Ledgers.decisions(Ledgers.ledger(admin, userId))).contains("privacy:" + version + ":granted");
        assertThat(admin.get("/realms/acme/users/" + userId).at("/requiredActions")).as("nothing left for later")
                .isEmpty();
    }
}
