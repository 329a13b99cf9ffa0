package org.ciampack.it.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.AccountConsole;
import org.ciampack.it.pages.LoginPage;
import org.ciampack.it.pages.ProfilingPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Progressive profiling in the demo realm: registration asks e-mail only, the 2nd login asks the phone (skippable
 * twice), the 3rd the date of birth, and acme-shop needs the postal address at once.
 */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class ProfilingIT {

    private static final String PASSWORD = "Profiling-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String STEP = "ciam-progressive-profiling";

    @Test
    void registrationAsksOnlyTheEmailThePhoneComesAtTheSecondLoginAndIsRequiredAfterTwoSkips(ServerUnderTest server,
            AdminApi admin, Browser browser) {
        URI realm = server.realmUrl("acme");
        String email = "prof-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        browser.open(AccountConsole.url(realm));
        new LoginPage(browser).openRegistration();
        assertThat(formFields(browser, "kc-register-form")).as("registration asks the e-mail (and consents) only")
                .containsExactlyInAnyOrder("email", "consent.terms", "consent.privacy", "consent.marketing_email");
        browser.driver().findElement(By.id("email")).sendKeys(email);
        browser.driver().findElement(By.id("consent.terms")).click();
        browser.driver().findElement(By.id("consent.privacy")).click();
        browser.driver().findElement(By.cssSelector("#kc-register-form [type=submit]")).click();
        browser.until(driver -> driver.getCurrentUrl().contains("execution=VERIFY_EMAIL"));
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        verifiedWithPassword(admin, userId); // as the e-mail link and password page would (RegistrationJourneyIT)

        // 2nd login (the registration was the 1st): the phone, skippable.
        ProfilingPage page = signIn(browser, realm, email);
        assertThat(page.questions()).containsExactly("phone");
        assertThat(page.label("phone")).contains("Phone number");
        assertThat(page.canSkip()).isTrue();
        assertThat(page.required("phone")).isFalse();
        page.notNow();
        new AccountConsole(browser).assertSignedInAs(email);

        // 3rd login: the phone again (one skip left) and the date of birth.
        page = signIn(browser, realm, email);
        assertThat(page.questions()).containsExactly("phone", "birthdate");
        assertThat(page.canSkip()).isTrue();
        page.notNow();
        new AccountConsole(browser).assertSignedInAs(email);

        // 4th login: both skipped up to their limit, so both are required now.
        page = signIn(browser, realm, email);
        assertThat(page.questions()).containsExactly("phone", "birthdate");
        assertThat(page.canSkip()).as("no 'Not now' once the skips are used up").isFalse();
        assertThat(page.required("phone")).isTrue();
        assertThat(page.required("birthdate")).isTrue();
        page = page.saveExpectingErrors();
        assertThat(page.error("phone")).isEqualTo("Please specify this field.");

        // Acceptance 2: an invalid phone by the profile's pattern validator: its message, and nothing saved.
        page.fill("phone", "call me maybe").fill("birthdate", "1990-02-03");
        page = page.saveExpectingErrors();
        assertThat(page.error("phone")).isEqualTo(
                "Enter a phone number of digits, spaces, brackets or dashes, optionally starting with +.");
        assertThat(page.error("birthdate")).isNull();
        assertThat(page.value("phone")).isEqualTo("call me maybe");
        assertThat(attributes(admin, userId).has("phone")).isFalse();
        assertThat(attributes(admin, userId).has("birthdate")).as("nothing saved while any answer is invalid").isFalse();

        page.fill("phone", "+49 30 1234567").fill("birthdate", "1990-02-03").save();
        new AccountConsole(browser).assertSignedInAs(email);
        assertThat(attributes(admin, userId).get("phone").get(0).asText()).isEqualTo("+49 30 1234567");
        assertThat(attributes(admin, userId).get("birthdate").get(0).asText()).isEqualTo("1990-02-03");

        JsonNode updates = admin.events("acme", userId, "UPDATE_PROFILE");
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).path("details").path("context").asText()).isEqualTo(STEP);
        assertThat(updates.get(0).path("details").path("ciam_profiling_collected").asText().split(","))
                .containsExactlyInAnyOrder("phone", "birthdate");
        assertThat(updates.get(0).path("details").path("updated_birthdate").asText())
                .as("saved through the user profile, which reports what changed").isEqualTo("1990-02-03");
        List<String> skips = new ArrayList<>();
        admin.events("acme", userId, "UPDATE_PROFILE_ERROR").forEach(event -> {
            assertThat(event.path("error").asText()).isEqualTo("ciam_profiling_skipped");
            skips.add(event.path("details").path("ciam_profiling_attribute").asText() + "#"
                    + event.path("details").path("ciam_profiling_skips").asText());
        });
        assertThat(skips).containsExactlyInAnyOrder("phone#1", "phone#2", "birthdate#1");

        // Acceptance 6: everything answered, so the next login has no extra page.
        browser.driver().manage().deleteAllCookies();
        browser.open(AccountConsole.url(realm));
        new LoginPage(browser).signIn(email, PASSWORD);
        new AccountConsole(browser).assertSignedInAs(email);
    }

    @Test
    void theShopNeedsTheAddressAtOnceScriptsStayTextAndOversizedValuesAreRefused(ServerUnderTest server,
            AdminApi admin, Browser browser) {
        String email = "shop-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true, Map.of());
        browser.open(new OidcCodeFlow(server.realmUrl("acme"), "acme-shop", APP).authorizationUrl(Attempt.fresh()));
        new LoginPage(browser).signIn(email, PASSWORD);

        ProfilingPage page = new ProfilingPage(browser);
        assertThat(page.questions()).as("the first login of a new user: only what the shop needs")
                .containsExactly("address");
        assertThat(page.intro()).isEqualTo("Acme checkout needs this before you continue.");
        assertThat(page.canSkip()).isFalse();
        assertThat(page.required("address")).isTrue();

        page.fill("address", "x".repeat(100 * 1024));
        page = page.saveExpectingErrors();
        assertThat(page.error("address")).isNotBlank();
        assertThat(attributes(admin, userId).has("address")).as("a 100 KB value is refused").isFalse();

        String hostile = "<img src=x onerror=\"window.ciamXss=1\"><script>window.ciamXss=2</script> 1 Main St";
        page.fill("address", hostile + "y".repeat(600)); // too long: the page comes back with the value in it
        page = page.saveExpectingErrors();
        assertThat(page.value("address")).isEqualTo(hostile + "y".repeat(600));
        assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.ciamXss === undefined"))
                .as("the value is rendered as text, never run").isEqualTo(true);
        assertThat(browser.driver().findElements(By.cssSelector("#ciam-profiling-form img"))).isEmpty();

        page.fill("address", hostile).save();
        browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
        assertThat(browser.currentUrl()).contains("code=");
        assertThat(attributes(admin, userId).get("address").get(0).asText()).as("stored as text").isEqualTo(hostile);
    }

    @Test
    void attributesUsersMayNotEditAreNeverAskedNorWrittenAndNoEmptyPageIsShown(ServerUnderTest server, AdminApi admin,
            Browser browser) {
        JsonNode config = admin.stepConfig("acme", "ciam browser", STEP);
        ObjectNode changed = config.deepCopy();
        ((ObjectNode) changed.get("config")).put("stages", "loyaltyTier, phone | login 1 | skippable 1");
        admin.updateStepConfig("acme", changed);
        try {
            String email = "tier-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            String userId = admin.createUser("acme", email, PASSWORD, true, Map.of("loyaltyTier", "gold"));
            ObjectNode named = Http.JSON.createObjectNode().put("lastName", "Lovelace");
            assertThat(admin.send("PUT", "/realms/acme/users/" + userId, named).statusCode()).isEqualTo(204);
            URI realm = server.realmUrl("acme");
            ProfilingPage page = signIn(browser, realm, email);
            assertThat(page.questions()).as("loyaltyTier is admin-only: never asked").containsExactly("phone");
            page.fill("phone", "+44 20 7946 0000").forge("loyaltyTier", "platinum").forge("email", "taken@acme.test")
                    .forge("lastName", "Mallory").save();
            new AccountConsole(browser).assertSignedInAs(email);
            JsonNode user = admin.get("/realms/acme/users/" + userId);
            assertThat(user.path("attributes").get("loyaltyTier").get(0).asText())
                    .as("a posted admin-only field is ignored").isEqualTo("gold");
            assertThat(user.get("lastName").asText()).as("a field the user may edit but was not asked").isEqualTo(
                    "Lovelace");
            assertThat(user.get("email").asText()).isEqualTo(email);
            assertThat(user.path("attributes").get("phone").get(0).asText()).isEqualTo("+44 20 7946 0000");
            JsonNode details = admin.events("acme", userId, "UPDATE_PROFILE").get(0).path("details");
            assertThat(details.path("updated_phone").asText()).as("Keycloak's own change details")
                    .isEqualTo("+44 20 7946 0000");
            assertThat(details.has("updated_lastName") || details.has("updated_loyaltyTier")
                    || details.has("updated_email")).isFalse();

            // Only a question the user may not edit is due: no page at all, not an empty one.
            String other = "tier-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            admin.createUser("acme", other, PASSWORD, true, Map.of("phone", "+44 20 7946 0001"));
            browser.driver().manage().deleteAllCookies();
            browser.open(AccountConsole.url(realm));
            new LoginPage(browser).signIn(other, PASSWORD);
            new AccountConsole(browser).assertSignedInAs(other);
        } finally {
            admin.updateStepConfig("acme", config);
        }
    }

    @Test
    void answersAreSavedOnlyWhenTheWholeProfileIsValidAndAFieldToCorrectJoinsThePage(ServerUnderTest server,
            AdminApi admin, Browser browser) {
        JsonNode config = admin.stepConfig("acme", "ciam browser", STEP);
        ObjectNode changed = config.deepCopy();
        ((ObjectNode) changed.get("config")).put("stages", "phone | login 1 | skippable 1");
        JsonNode profile = admin.get("/realms/acme/users/profile");
        ObjectNode stricter = profile.deepCopy();
        stricter.withArray("attributes").forEach(attribute -> {
            if ("lastName".equals(attribute.path("name").asText())) {
                ((ObjectNode) attribute).putObject("required").putArray("roles").add("user");
            }
        });
        String email = "strict-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true, Map.of());
        admin.updateStepConfig("acme", changed);
        assertThat(admin.send("PUT", "/realms/acme/users/profile", stricter).statusCode()).isEqualTo(200);
        try {
            // A rule added after the account was made: the last name is now required, and this user has none.
            ProfilingPage page = signIn(browser, server.realmUrl("acme"), email);
            assertThat(page.questions()).containsExactly("phone");
            page.fill("phone", "+33 1 23 45 67 89");
            page = page.saveExpectingErrors();
            assertThat(page.questions()).as("the field to correct joins the page").containsExactly("phone",
                    "lastName");
            assertThat(page.error("lastName")).isEqualTo("Please specify this field.");
            assertThat(attributes(admin, userId).has("phone")).as("nothing saved while the profile is invalid")
                    .isFalse();

            page.fill("phone", "+33 1 23 45 67 89").fill("lastName", "Curie").save();
            new AccountConsole(browser).assertSignedInAs(email);
            JsonNode user = admin.get("/realms/acme/users/" + userId);
            assertThat(user.get("lastName").asText()).isEqualTo("Curie");
            assertThat(user.path("attributes").get("phone").get(0).asText()).isEqualTo("+33 1 23 45 67 89");
        } finally {
            assertThat(admin.send("PUT", "/realms/acme/users/profile", profile).statusCode()).isEqualTo(200);
            admin.updateStepConfig("acme", config);
        }
    }

    @Test
    void nothingIsAskedDuringALoginTheRiskStepRatedHigh(ServerUnderTest server, AdminApi admin) {
        JsonNode risk = admin.stepConfig("acme", "ciam browser forms", "ciam-risk-assessment");
        ObjectNode shadow = risk.deepCopy();
        ((ObjectNode) shadow.get("config")).put("shadow-mode", "true"); // rated, not enforced: the login goes on
        admin.updateStepConfig("acme", shadow);
        try {
            String email = "risky-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            admin.createUser("acme", email, PASSWORD, true, Map.of());
            URI realm = server.realmUrl("acme");
            OidcCodeFlow first = new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", "198.51.100.9");
            first.signIn(Attempt.fresh(), email, PASSWORD).code();

            // 2nd login from the usual place: the phone is due and asked (left unanswered here).
            OidcCodeFlow usual = new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", "198.51.100.9");
            var page = usual.follow(usual.submitLogin(Attempt.fresh(), email, PASSWORD));
            assertThat(OidcCodeFlow.hasForm(page, "ciam-profiling-form")).isTrue();
            assertThat(page.body()).contains("name=\"phone\"");

            // 3rd login from an address on the deny list: rated high, so the still-due question waits.
            OidcCodeFlow risky = new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", "192.0.2.66");
            risky.signIn(Attempt.fresh(), email, PASSWORD).code();
            String userId = admin.findUserByEmail("acme", email).get("id").asText();
            assertThat(admin.events("acme", userId, "LOGIN").get(0).path("details").path("risk_level").asText())
                    .isEqualTo("high");
        } finally {
            admin.updateStepConfig("acme", risk);
        }
    }

    private static ProfilingPage signIn(Browser browser, URI realm, String email) {
        browser.driver().manage().deleteAllCookies();
        browser.open(AccountConsole.url(realm));
        new LoginPage(browser).signIn(email, PASSWORD);
        return new ProfilingPage(browser);
    }

    private static void verifiedWithPassword(AdminApi admin, String userId) {
        ObjectNode credential = Http.JSON.createObjectNode().put("type", "password").put("value", PASSWORD)
                .put("temporary", false);
        assertThat(admin.send("PUT", "/realms/acme/users/" + userId + "/reset-password", credential).statusCode())
                .isEqualTo(204);
        ObjectNode user = Http.JSON.createObjectNode().put("emailVerified", true);
        user.putArray("requiredActions");
        assertThat(admin.send("PUT", "/realms/acme/users/" + userId, user).statusCode()).isEqualTo(204);
    }

    private static JsonNode attributes(AdminApi admin, String userId) {
        return admin.get("/realms/acme/users/" + userId).path("attributes");
    }

    private static List<String> formFields(Browser browser, String formId) {
        return browser.driver().findElements(By.cssSelector("#" + formId + " input, #" + formId + " textarea, #"
                        + formId + " select")).stream()
                .filter(field -> !List.of("hidden", "submit").contains(field.getAttribute("type")))
                .map(field -> field.getAttribute("name")).distinct().toList();
    }
}
