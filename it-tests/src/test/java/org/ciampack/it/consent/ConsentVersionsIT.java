package org.ciampack.it.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.ConsentPage;
import org.ciampack.it.pages.LoginPage;
import org.ciampack.it.pages.RegistrationPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Which version of a purpose is asked, and which is recorded: a version published ahead of its date leaves the one
 * in force asked until then, and an answer is recorded only against the wording the customer was shown. Each test
 * adds a required purpose of its own to the demo realm, from the app, and removes it afterwards.
 */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class ConsentVersionsIT {

    private static final String PASSWORD = "Consent-Versions-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String CHANGED = "has changed since this page was shown";

    @Test
    void aVersionPublishedAheadLeavesTheVersionInForceAskedUntilItsDate(ServerUnderTest server, AdminApi admin,
            Browser browser) {
        String id = purposeId("house_rules");
        URI api = admin.consentAdmin("acme");
        URI realm = server.realmUrl("acme");
        String email = newCustomer(admin);
        try {
            assertThat(save(admin, purpose(id, 1, "ciamConsentTermsDescription", null)).statusCode()).isEqualTo(201);
            Instant nextWeek = Instant.now().plus(Duration.ofDays(7));
            HttpResponse<String> ahead = save(admin, purpose(id, 2, "ciamConsentPrivacyDescription", nextWeek));
            assertThat(ahead.statusCode()).as(ahead.body()).isEqualTo(200);
            JsonNode shown = Http.json(admin.sendAsAdmin("GET", api.resolve("purposes/" + id), null).body());
            assertThat(shown.get("version").asInt()).isEqualTo(2);
            assertThat(shown.get("inForce").asBoolean()).isFalse();
            assertThat(shown.get("versionInForce").asInt()).as("version 1 until next week").isEqualTo(1);

            // A customer who never decided on the purpose is asked the version in force, not nothing.
            browser.open(new OidcCodeFlow(realm, "acme-web", APP).authorizationUrl(Attempt.fresh()));
            new LoginPage(browser).signIn(email, PASSWORD);
            ConsentPage consent = new ConsentPage(browser);
            assertThat(consent.purposesAsked()).containsExactly(id);
            consent.accept(id);
            browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
            String userId = admin.findUserByEmail("acme", email).get("id").asText();
            assertThat(Ledgers.decisions(Ledgers.ledger(admin, userId))).contains(id + ":1:granted")
                    .doesNotContain(id + ":2:granted");

            // So is a new customer on the registration form.
            signOut(browser, realm);
            browser.open(new OidcCodeFlow(realm, "acme-web", APP).authorizationUrl(Attempt.fresh()));
            new LoginPage(browser).openRegistration();
            assertThat(browser.driver().findElements(By.id("consent." + id))).hasSize(1);

            // A version waiting can be withdrawn before its date; the version in force cannot.
            assertThat(save(admin, purpose(id, 3, "ciamConsentMarketingDescription", nextWeek.plusSeconds(86400)))
                    .statusCode()).isEqualTo(200);
            assertThat(admin.sendAsAdmin("DELETE", api.resolve("purposes/" + id + "/versions/3"), null).statusCode())
                    .isEqualTo(204);
            assertThat(admin.sendAsAdmin("DELETE", api.resolve("purposes/" + id + "/versions/1"), null).statusCode())
                    .as("the version in force").isEqualTo(404);
            assertThat(Http.json(admin.sendAsAdmin("GET", api.resolve("purposes/" + id), null).body()).get("version")
                    .asInt()).as("version 2 waits again as the latest").isEqualTo(2);

            // A version in force cannot be moved ahead; the version ahead can be brought forward, and is then asked.
            HttpResponse<String> backwards = save(admin, purpose(id, 2, "ciamConsentPrivacyDescription", null)
                    .put("effectiveFrom", Instant.now().minusSeconds(1).toString()));
            assertThat(backwards.statusCode()).as(backwards.body()).isEqualTo(200);
            HttpResponse<String> movedAhead = save(admin, purpose(id, 2, "ciamConsentPrivacyDescription", nextWeek));
            assertThat(movedAhead.statusCode()).isEqualTo(400);
            assertThat(movedAhead.body()).contains("version 2 is in force");
            signOut(browser, realm);
            browser.open(new OidcCodeFlow(realm, "acme-web", APP).authorizationUrl(Attempt.fresh()));
            new LoginPage(browser).signIn(email, PASSWORD);
            consent = new ConsentPage(browser);
            assertThat(consent.purposesAsked()).containsExactly(id);
            consent.accept(id);
            browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
            assertThat(Ledgers.decisions(Ledgers.ledger(admin, userId))).contains(id + ":2:granted");
        } finally {
            admin.sendAsAdmin("DELETE", api.resolve("purposes/" + id), null);
        }
    }

    @Test
    void anAnswerToWordingReplacedMeanwhileIsNotRecordedAndThePageIsShownAgain(ServerUnderTest server, AdminApi admin,
            Browser browser) {
        String id = purposeId("notice");
        URI api = admin.consentAdmin("acme");
        URI realm = server.realmUrl("acme");
        String email = newCustomer(admin);
        try {
            assertThat(save(admin, purpose(id, 1, "ciamConsentTermsDescription", null)).statusCode()).isEqualTo(201);
            browser.open(new OidcCodeFlow(realm, "acme-web", APP).authorizationUrl(Attempt.fresh()));
            new LoginPage(browser).signIn(email, PASSWORD);
            ConsentPage consent = new ConsentPage(browser);
            assertThat(consent.purposesAsked()).containsExactly(id);

            // The admin publishes version 2 while the customer reads version 1.
            assertThat(save(admin, purpose(id, 2, "ciamConsentPrivacyDescription", null)).statusCode()).isEqualTo(200);
            consent.accept(id);
            browser.until(driver -> driver.findElement(By.tagName("body")).getText().contains(CHANGED));
            consent = new ConsentPage(browser);
            assertThat(consent.purposesAsked()).containsExactly(id);
            String userId = admin.findUserByEmail("acme", email).get("id").asText();
            assertThat(Ledgers.decisions(Ledgers.ledger(admin, userId))).as("nothing recorded for unseen wording")
                    .noneMatch(decision -> decision.startsWith(id + ":"));

            consent.accept(id);
            browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
            assertThat(Ledgers.decisions(Ledgers.ledger(admin, userId))).as("version 2, as shown the second time")
                    .contains(id + ":2:granted").doesNotContain(id + ":1:granted");

            // The same on the registration form: a tick given to replaced wording is not carried over.
            signOut(browser, realm);
            browser.open(new OidcCodeFlow(realm, "acme-web", APP).authorizationUrl(Attempt.fresh()));
            RegistrationPage registration = new LoginPage(browser).openRegistration();
            String newcomer = "versions-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            assertThat(save(admin, purpose(id, 3, "ciamConsentMarketingDescription", null)).statusCode()).isEqualTo(200);
            registration.submit(newcomer, "consent.terms", "consent.privacy", "consent." + id);
            browser.until(driver -> driver.findElement(By.tagName("body")).getText().contains(CHANGED));
            assertThat(admin.findUserByEmail("acme", newcomer)).as("no account on the replaced wording").isNull();
            assertThat(browser.driver().findElement(By.id("consent." + id)).isSelected()).isFalse();
            assertThat(browser.driver().findElement(By.id("consent.terms")).isSelected()).isTrue();
            registration.register(newcomer, "consent.terms", "consent.privacy", "consent." + id);
            String newcomerId = admin.findUserByEmail("acme", newcomer).get("id").asText();
            assertThat(Ledgers.decisions(Ledgers.ledger(admin, newcomerId))).contains(id + ":3:granted");
        } finally {
            admin.sendAsAdmin("DELETE", api.resolve("purposes/" + id), null);
        }
    }

    /** Forgets the server's cookies: the next login is a real one. */
    private static void signOut(Browser browser, URI realm) {
        browser.open(URI.create(realm + "/.well-known/openid-configuration"));
        browser.driver().manage().deleteAllCookies();
    }

    private static String purposeId(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static ObjectNode purpose(String id, int version, String description, Instant effectiveFrom) {
        ObjectNode purpose = Http.JSON.createObjectNode().put("id", id).put("version", version).put("required", true)
                .put("title", "ciamConsentTermsTitle").put("description", description);
        if (effectiveFrom != null) {
            purpose.put("effectiveFrom", effectiveFrom.toString());
        }
        return purpose;
    }

    private static HttpResponse<String> save(AdminApi admin, ObjectNode purpose) {
        return admin.sendAsAdmin("PUT", admin.consentAdmin("acme").resolve("purposes/" + purpose.get("id").asText()),
                purpose);
    }

    private static String newCustomer(AdminApi admin) {
        String email = "versions-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
        return email;
    }
}
