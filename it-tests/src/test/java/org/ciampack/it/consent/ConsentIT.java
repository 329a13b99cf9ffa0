package org.ciampack.it.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.AccountConsole;
import org.ciampack.it.pages.ConsentPage;
import org.ciampack.it.pages.LoginPage;
import org.ciampack.it.pages.SocialProvider;
import org.ciampack.it.pages.PrivacyPage;
import org.ciampack.it.pages.ProfilingPage;
import org.ciampack.it.pages.RegistrationPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/** Consent management: registration, re-consent at login, self-service, admin audit, against the demo realm. */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class ConsentIT {

    private static final String PASSWORD = "Consent-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    /** The demo realm's consent pseudonym key, as an operator would put it in the vault. */
    private static final String PSEUDONYM_KEY = "consent-pseudonym-key-for-tests-only";

    @Test
    void registrationWithoutTheRequiredConsentsIsRefusedAndWithThemLeavesReceipts(ServerUnderTest server,
            AdminApi admin, Browser browser) {
        String email = "reg-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        browser.open(AccountConsole.url(server.realmUrl("acme")));
        RegistrationPage registration = new LoginPage(browser).openRegistration();

        registration.submit(email, "consent.marketing_email");
        browser.await(By.id("consent.terms-error"));
        browser.capture("registration-consent-errors");
        assertThat(registration.fieldError("consent.terms")).isEqualTo("Please accept this to continue.");
        assertThat(registration.fieldError("consent.privacy")).isEqualTo("Please accept this to continue.");
        assertThat(registration.fieldError("consent.marketing_email")).isNull();
        assertThat(browser.driver().findElement(By.id("consent.terms")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver().findElement(By.id("consent.marketing_email")).isSelected())
                .as("the ticked optional box stays ticked").isTrue();
        assertThat(admin.findUserByEmail("acme", email)).as("no account without the required consents").isNull();

        registration.register(email, "consent.terms", "consent.privacy");
        JsonNode user = admin.findUserByEmail("acme", email);
        assertThat(user).isNotNull();
        JsonNode ledger = Ledgers.ledger(admin, user.get("id").asText());
        assertThat(ledger).hasSize(3);
        assertThat(Ledgers.decisions(ledger)).containsExactlyInAnyOrder("terms:" + Ledgers.version(admin, "terms") + ":granted",
                "privacy:" + Ledgers.version(admin, "privacy") + ":granted",
                "marketing_email:" + Ledgers.version(admin, "marketing_email") + ":granted");
        ledger.forEach(receipt -> {
            assertThat(receipt.get("source").asText()).isEqualTo("registration");
            assertThat(receipt.get("client").asText()).isEqualTo("account-console");
            assertThat(receipt.get("ipAddress").asText()).as("truncated to its /24").endsWith(".0");
        });
        JsonNode events = admin.events("acme", user.get("id").asText(), "UPDATE_CONSENT");
        assertThat(events).as("one event for the form's three decisions").hasSize(1);
        JsonNode details = events.get(0).path("details");
        List<String> purposes = List.of(details.path("consent_purpose").asText().split(","));
        List<String> versions = List.of(details.path("consent_version").asText().split(","));
        List<String> decisions = List.of(details.path("consent_decision").asText().split(","));
        List<String> receipts = List.of(details.path("consent_receipt").asText().split(","));
        assertThat(details.path("consent_source").asText()).isEqualTo("registration");
        List<String> fromTheEvent = new ArrayList<>();
        for (int i = 0; i < purposes.size(); i++) {
            fromTheEvent.add(receipts.get(i) + "=" + purposes.get(i) + ":" + versions.get(i) + ":" + decisions.get(i));
        }
        List<String> fromTheLedger = new ArrayList<>();
        ledger.forEach(receipt -> fromTheLedger.add(receipt.get("receipt").asText() + "=" + receipt.get("purpose").asText()
                + ":" + receipt.get("version").asInt() + ":" + receipt.get("decision").asText()));
        assertThat(fromTheEvent).as("one item per receipt, the lists in the same order")
                .containsExactlyInAnyOrderElementsOf(fromTheLedger);
    }

    @Test
    void aNewPrivacyVersionIsAskedAtNextLoginAcceptingContinuesDecliningSignsOut(ServerUnderTest server,
            AdminApi admin, Browser browser) {
        URI realm = server.realmUrl("acme");
        String accepting = newCustomer(admin);
        String declining = newCustomer(admin);
        // A hostile translation: shown as text, never run.
        putLocalization(admin, server, "ciamConsentPrivacyNext",
                "We now share data with <script>window.pwned=true</script><b>partners</b>.");
        int version = Ledgers.publishNextPrivacyVersion(admin);

        browser.open(AccountConsole.url(realm));
        new LoginPage(browser).signIn(accepting, PASSWORD);
        ConsentPage consent = new ConsentPage(browser);
        assertThat(consent.purposesAsked()).containsExactly("privacy");
        assertThat(consent.text("privacy")).contains("We now share data with <script>window.pwned=true</script>"
                + "<b>partners</b>.");
        assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.pwned === true")).isEqualTo(false);
        consent.accept("privacy");
        new AccountConsole(browser).assertSignedInAs(accepting);
        assertThat(Ledgers.decisions(Ledgers.ledger(admin, admin.findUserByEmail("acme", accepting).get("id").asText())))
                .contains("privacy:" + version + ":granted");

        browser.driver().manage().deleteAllCookies();
        browser.open(AccountConsole.url(realm));
        new LoginPage(browser).signIn(declining, PASSWORD);
        consent = new ConsentPage(browser);
        consent.declineAndSignOut();
        assertThat(consent.declinedMessage()).contains("signed out");
        String decliningId = admin.findUserByEmail("acme", declining).get("id").asText();
        assertThat(Ledgers.decisions(Ledgers.ledger(admin, decliningId))).contains("privacy:" + version + ":declined");
        assertThat(admin.get("/realms/acme/users/" + decliningId + "/sessions")).as("no session left").isEmpty();
        assertThat(admin.bruteForceStatus("acme", decliningId).get("numFailures").asInt())
                .as("a declined consent is no failed sign-in for brute-force detection").isZero();

        // The page offers to delete the account; the ledger keeps pseudonymous proof.
        consent.deleteAccount();
        assertThat(admin.findUserByEmail("acme", declining)).isNull();
        HttpResponse<String> export = admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("receipts?format=jsonl"), null);
        assertThat(export.body()).doesNotContain(decliningId);
        assertThat(export.body()).contains("\"pseudonymous\":true");

        browser.open(AccountConsole.url(realm));
        new LoginPage(browser); // signed out: the login form is back
    }

    /**
     * A decline ends the sign-in. Going back to the consent page afterwards (its address again, its old form sent
     * again, or an acceptance sent through the declined page's own form) shows the declined page and signs nobody
     * in: otherwise anyone at the same browser could accept in the customer's name without the password. Only "back
     * to login", password first, leads on. From the app, in the demo realm's flows.
     */
    @Test
    void aDeclineEndsTheSignInGoingBackAndAcceptingSignsNobodyIn(ServerUnderTest server, AdminApi admin) {
        String email = newCustomer(admin);
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        assertThat(admin.sendAsAdmin("POST", admin.consentAdmin("acme").resolve("purposes/privacy/reconsent"),
                Http.json("{\"users\":[\"" + userId + "\"]}")).statusCode()).as("privacy asked again of this customer")
                .isEqualTo(200);
        URI realm = server.realmUrl("acme");
        OidcCodeFlow app = new OidcCodeFlow(realm, "acme-web", APP);
        HttpResponse<String> consent = app.follow(app.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(consent, "ciam-consent-form")).as(consent.body()).isTrue();
        HttpResponse<String> declined = app.submitForm(consent, "ciam-consent-form", java.util.Map.of("decline", ""));
        assertThat(declined.body()).contains("id=\"ciam-consent-declined\"");
        List<String> afterDecline = Ledgers.decisions(Ledgers.ledger(admin, userId));
        assertThat(afterDecline).anyMatch(decision -> decision.startsWith("privacy:") && decision.endsWith(":declined"));

        java.util.regex.Matcher tab = java.util.regex.Pattern.compile("tab_id=([A-Za-z0-9_-]+)").matcher(consent.body());
        assertThat(tab.find()).as("the page's tab").isTrue();
        HttpResponse<String> back = app.follow(app.send("GET",
                URI.create(realm + "/login-actions/authenticate?client_id=acme-web&tab_id=" + tab.group(1)), java.util.Map.of()));
        assertThat(back.body()).as("the consent page's address again").contains("id=\"ciam-consent-declined\"")
                .doesNotContain("id=\"ciam-consent-form\"");

        java.util.Map<String, String> accepting = java.util.Map.of("consent.terms", "on", "consent.privacy", "on",
                "consent.marketing_email", "on", "accept", "");
        HttpResponse<String> resent = app.follow(app.submitForm(consent, "ciam-consent-form", accepting));
        assertThat(resent.headers().firstValue("Location").orElse("")).doesNotStartWith(APP.toString());
        assertThat(resent.body()).as("the old form sent again").contains("id=\"ciam-consent-declined\"");
        HttpResponse<String> throughDeclined = app.follow(app.submitForm(back, "ciam-consent-delete-form", accepting));
        assertThat(throughDeclined.headers().firstValue("Location").orElse("")).doesNotStartWith(APP.toString());
        assertThat(throughDeclined.body()).as("an acceptance through the declined page's form")
                .contains("id=\"ciam-consent-declined\"");

        assertThat(admin.events("acme", userId, "LOGIN")).as("nobody signed in").isEmpty();
        assertThat(Ledgers.decisions(Ledgers.ledger(admin, userId))).as("no receipt since the decline")
                .isEqualTo(afterDecline);
        assertThat(admin.findUserByEmail("acme", email)).as("the account is still there").isNotNull();
    }

    /**
     * Where the realm does not let users delete their own accounts (Keycloak's "Delete Account" action off, as its
     * account console reads it), a decline offers no deletion, and a deletion sent anyway deletes nothing.
     */
    @Test
    void whereTheRealmForbidsSelfDeletionADeclineOffersNoDeletionAndAForgedOneDeletesNothing(ServerUnderTest server,
                                                                                              AdminApi admin) {
        String email = newCustomer(admin);
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        assertThat(admin.sendAsAdmin("POST", admin.consentAdmin("acme").resolve("purposes/privacy/reconsent"),
                Http.json("{\"users\":[\"" + userId + "\"]}")).statusCode()).isEqualTo(200);
        String action = "/realms/acme/authentication/required-actions/delete_account";
        ObjectNode deletion = (ObjectNode) admin.get(action);
        try {
            OidcCodeFlow app = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
            HttpResponse<String> consent = app.follow(app.submitLogin(Attempt.fresh(), email, PASSWORD));
            assertThat(OidcCodeFlow.hasForm(consent, "ciam-consent-form")).as(consent.body()).isTrue();
            HttpResponse<String> declined = app.submitForm(consent, "ciam-consent-form",
                    java.util.Map.of("decline", ""));
            assertThat(OidcCodeFlow.hasForm(declined, "ciam-consent-delete-form")).as("deletion offered while allowed")
                    .isTrue();

            // The admin turns self-deletion off; the page still open in the customer's browser sends its form.
            assertThat(admin.send("PUT", action, deletion.deepCopy().put("enabled", false)).statusCode())
                    .isEqualTo(204);
            HttpResponse<String> refused = app.follow(app.submitForm(declined, "ciam-consent-delete-form",
                    java.util.Map.of("delete-account", "")));
            assertThat(refused.body()).contains("id=\"ciam-consent-declined\"")
                    .doesNotContain("id=\"ciam-consent-deleted\"").doesNotContain("ciam-consent-delete-form");
            assertThat(admin.findUserByEmail("acme", email)).as("the account is still there").isNotNull();
            assertThat(admin.events("acme", userId, "DELETE_ACCOUNT")).isEmpty();
        } finally {
            admin.send("PUT", action, deletion);
        }
    }

    @Test
    void withdrawingMarketingByApiAppendsAReceiptAndEmitsTheEvent(ServerUnderTest server, AdminApi admin) {
        String email = newCustomer(admin);
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        String token = userToken(server, email);

        HttpResponse<String> granted = decide(server, token, "marketing_email", "{\"decision\":\"granted\",\"version\":1}");
        assertThat(granted.statusCode()).isEqualTo(200);
        HttpResponse<String> withdrawn = decide(server, token, "marketing_email", "{\"decision\":\"withdrawn\",\"version\":1}");
        assertThat(withdrawn.statusCode()).isEqualTo(200);

        JsonNode me = Http.json(self(server, token, "GET", "", null).body());
        JsonNode marketing = purpose(me, "marketing_email");
        assertThat(marketing.get("granted").asBoolean()).isFalse();
        assertThat(marketing.path("current").path("decision").asText()).isEqualTo("withdrawn");
        assertThat(me.get("history").get(0).get("decision").asText()).isEqualTo("withdrawn");
        assertThat(me.get("history").get(0).get("source").asText()).isEqualTo("self-service");
        assertThat(me.get("history").get(1).get("decision").asText()).isEqualTo("granted");

        JsonNode events = admin.events("acme", userId, "UPDATE_CONSENT");
        assertThat(events).anySatisfy(event -> {
            assertThat(event.path("details").path("consent_purpose").asText()).isEqualTo("marketing_email");
            assertThat(event.path("details").path("consent_decision").asText()).isEqualTo("withdrawn");
            assertThat(event.path("details").path("consent_version").asText()).isEqualTo("1");
        });
    }

    @Test
    void theAccountConsolePageWithdrawsMarketingAndItsChangesNeedThePageToken(ServerUnderTest server,
            AdminApi admin, Browser browser) {
        URI realm = server.realmUrl("acme");
        String email = newCustomer(admin); // required purposes granted, marketing declined
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        browser.open(AccountConsole.url(realm));
        new LoginPage(browser).signIn(email, PASSWORD);
        new AccountConsole(browser).assertSignedInAs(email);

        PrivacyPage page = PrivacyPage.openFromMenu(browser);
        assertThat(page.title("marketing_email")).isEqualTo("News and offers by e-mail");
        assertThat(page.state("marketing_email")).startsWith("Declined on");
        assertThat(page.canChange("terms")).as("a required purpose cannot be withdrawn here").isFalse();
        page.change("marketing_email");
        assertThat(page.state("marketing_email")).startsWith("Given on").endsWith("(version 1)");
        page.change("marketing_email").capture("privacy-and-consents");
        assertThat(page.state("marketing_email")).startsWith("Withdrawn on");
        assertThat(page.status()).isEqualTo("Your choice has been saved.");
        assertThat(page.history().get(0)).contains("News and offers by e-mail", "Withdrawn", "Your account");

        JsonNode ledger = Ledgers.ledger(admin, userId);
        JsonNode newest = StreamSupport.stream(ledger.spliterator(), false)
                .max(Comparator.comparingLong(receipt -> receipt.get("seq").asLong())).orElseThrow();
        assertThat(newest.get("decision").asText()).isEqualTo("withdrawn");
        assertThat(newest.get("source").asText()).isEqualTo("self-service");
        assertThat(newest.get("client").asText()).isEqualTo("account-console");
        assertThat(admin.events("acme", userId, "UPDATE_CONSENT")).anySatisfy(event ->
                assertThat(event.path("details").path("consent_decision").asText()).isEqualTo("withdrawn"));

        // The same change with the page's login cookie but without its token, with a wrong one, or from another
        // origin: refused, and nothing is recorded.
        String cookies = browser.driver().manage().getCookies().stream()
                .map(cookie -> cookie.getName() + "=" + cookie.getValue()).collect(Collectors.joining("; "));
        String origin = server.baseUrl().getScheme() + "://" + server.baseUrl().getAuthority();
        String grant = "{\"decision\":\"granted\",\"version\":1}";
        assertThat(withCookie(realm, cookies, origin, null, grant).statusCode()).isEqualTo(403);
        assertThat(withCookie(realm, cookies, origin, "forged-token", grant).statusCode()).isEqualTo(403);
        String token = Http.send(HttpRequest.newBuilder(URI.create(realm + "/ciam-consent/me"))
                .header("Cookie", cookies).GET().build()).headers().firstValue("X-CIAM-CSRF").orElseThrow();
        assertThat(withCookie(realm, cookies, "https://evil.example", token, grant).statusCode()).isEqualTo(403);
        assertThat(withCookie(realm, "", origin, token, grant).statusCode()).as("no cookie, no caller").isEqualTo(401);
        assertThat(Ledgers.ledger(admin, userId)).hasSize(ledger.size());
        assertThat(withCookie(realm, cookies, origin, token, grant).statusCode()).isEqualTo(200);
        assertThat(Ledgers.ledger(admin, userId)).hasSize(ledger.size() + 1);
    }

    private static HttpResponse<String> withCookie(URI realm, String cookies, String origin, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + "/ciam-consent/me/marketing_email"))
                .header("Content-Type", "application/json").header("Origin", origin)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies);
        }
        if (token != null) {
            request.header("X-CIAM-CSRF", token);
        }
        return Http.send(request.build());
    }

    @Test
    void customersArrivingFromAnIdentityProviderConsentBeforeTheirAccountIsCreated(ServerUnderTest server,
            AdminApi admin, Browser browser) {
        URI realm = server.realmUrl("acme");
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String declining = "social-" + tag + "-declines@social.test";
        String accepting = "social-" + tag + "-accepts@social.test";
        try (SocialProvider social = SocialProvider.create(server, admin, PASSWORD, declining, accepting)) {
            browser.open(AccountConsole.url(realm));
            social.signIn(browser, declining, PASSWORD);
            ConsentPage consent = new ConsentPage(browser);
            assertThat(consent.purposesAsked()).containsExactlyInAnyOrder("terms", "privacy", "marketing_email");
            assertThat(admin.findUserByEmail("acme", declining)).as("no account before the consents").isNull();
            consent.submit();
            browser.await(By.id("consent.terms-error"));
            assertThat(consent.fieldError("terms")).isEqualTo("Please accept this to continue.");
            assertThat(consent.fieldError("marketing_email")).isNull();
            assertThat(consent.declineWithoutAccount()).contains("none was created");
            assertThat(admin.findUserByEmail("acme", declining)).as("declining creates no account").isNull();

            // Forget the provider's session on the server too: deleting its cookies alone raced the page load.
            assertThat(admin.send("POST", "/realms/" + social.alias() + "/logout-all", null).statusCode()).isEqualTo(200);
            browser.open(URI.create(server.realmUrl(social.alias()) + "/account/")); // the provider's cookies too
            browser.driver().manage().deleteAllCookies();
            browser.open(AccountConsole.url(realm));
            browser.driver().manage().deleteAllCookies();
            browser.open(AccountConsole.url(realm));
            social.signIn(browser, accepting, PASSWORD);
            new ConsentPage(browser).accept("terms", "privacy");
            new AccountConsole(browser).assertSignedInAs(accepting); // no second consent page after creation
            JsonNode user = admin.findUserByEmail("acme", accepting);
            JsonNode ledger = Ledgers.ledger(admin, user.get("id").asText());
            assertThat(Ledgers.decisions(ledger)).containsExactlyInAnyOrder("terms:" + Ledgers.version(admin, "terms") + ":granted",
                    "privacy:" + Ledgers.version(admin, "privacy") + ":granted",
                    "marketing_email:" + Ledgers.version(admin, "marketing_email") + ":declined");
            ledger.forEach(receipt -> assertThat(receipt.get("source").asText()).isEqualTo("registration"));
        }
    }

    @Test
    void aCustomerDeletingTheirOwnAccountLeavesADeleteAccountEventAndKeyedPseudonyms(ServerUnderTest server,
            AdminApi admin, Browser browser) throws Exception {
        Files.writeString(LocalKeycloak.vault().resolve("acme_consent-pseudonym-key"), PSEUDONYM_KEY);
        String email = newCustomer(admin);
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        Set<String> receipts = new HashSet<>();
        Ledgers.ledger(admin, userId).forEach(receipt -> receipts.add(receipt.get("receipt").asText()));
        browser.open(AccountConsole.url(server.realmUrl("acme")));
        new LoginPage(browser).signIn(email, PASSWORD);
        new AccountConsole(browser).assertSignedInAs(email);

        // The demo realm lets customers delete their account from "Personal info" (Keycloak's delete_account).
        browser.await(By.cssSelector("[data-testid=delete-account] button")).click();
        browser.await(By.id("delete-account-btn")).click();
        // Keycloak asks for the password again unless the sign-in happened within the same second (its auth time
        // has whole seconds, and delete_account's maximum age is 0).
        browser.until(driver -> !driver.findElements(By.id("password")).isEmpty()
                || !driver.findElements(By.id("kc-submit")).isEmpty());
        if (!browser.driver().findElements(By.id("password")).isEmpty()) {
            browser.driver().findElement(By.id("password")).sendKeys(PASSWORD);
            browser.driver().findElement(By.id("kc-login")).click();
        }
        browser.await(By.id("kc-submit")).click(); // "Confirm"
        browser.until(driver -> admin.findUserByEmail("acme", email) == null);
        browser.capture("account-deleted");

        JsonNode events = admin.events("acme", userId, "DELETE_ACCOUNT");
        assertThat(events).as("the CRM route can erase the contact").hasSize(1);
        assertThat(events.get(0).path("clientId").asText()).isEqualTo("account-console");
        HttpResponse<String> export = admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("receipts?format=jsonl"), null);
        assertThat(export.body()).as("the ledger keeps pseudonymous proof only").doesNotContain(userId);

        // The pseudonym is HMAC-SHA256(vault key, user id): whoever holds the key and the id finds the receipts,
        // nobody else can link them (a plain hash of the id could be recomputed from any list of ids).
        List<JsonNode> kept = export.body().lines().map(Http::json)
                .filter(line -> receipts.contains(line.get("receipt").asText())).toList();
        assertThat(kept).hasSize(receipts.size());
        String realmId = admin.get("/realms/acme").get("id").asText();
        String expected = "vault:" + HexFormat.of().formatHex(hmacSha256(PSEUDONYM_KEY, userId), 0, 28);
        for (JsonNode receipt : kept) {
            assertThat(receipt.get("user").asText()).isEqualTo(expected)
                    .doesNotContain(sha256(userId).substring(0, 56))
                    .doesNotContain(sha256(realmId + "/" + userId).substring(0, 56));
            assertThat(receipt.get("pseudonymous").asBoolean()).isTrue();
            assertThat(receipt.get("ipAddress").isNull()).isTrue();
        }
        // An auditor who knows the former user's id asks the server for the pseudonym; the key stays in the vault.
        HttpResponse<String> lookup = admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("pseudonym?user=" + userId), null);
        assertThat(lookup.statusCode()).isEqualTo(200);
        assertThat(Http.json(lookup.body()).get("pseudonym").asText()).isEqualTo(expected);
        assertThat(admin.get("/realms/acme/admin-events?operationTypes=ACTION&resourcePath=ciam-consent/pseudonym"))
                .as("the look-up is in the admin events, with whom it was for")
                .anySatisfy(event -> assertThat(event.path("representation").asText()).contains(userId));
    }

    /**
     * An organization's managed member (who arrived through the organization's identity provider) is deleted by
     * Keycloak when an admin removes them from the organization. That path announces the deletion only before it
     * happens (Keycloak's UserPreRemovedEvent), not after: the ledger must still keep pseudonymous proof only.
     */
    @Test
    void aManagedMemberRemovedFromTheirOrganizationLeavesOnlyPseudonymousReceipts(ServerUnderTest server,
            AdminApi admin, Browser browser) throws Exception {
        Files.writeString(LocalKeycloak.vault().resolve("acme_consent-pseudonym-key"), PSEUDONYM_KEY);
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String domain = "org-" + tag + ".test";
        String email = "member@" + domain;
        String flow = "/realms/acme/authentication/flows/" + Http.encode("ciam first broker login").replace("+", "%20");
        String onboarding = null;
        String organization = null;
        try (SocialProvider social = SocialProvider.create(server, admin, PASSWORD, email)) {
            expect(admin.send("PUT", "/realms/acme", Http.JSON.createObjectNode().put("organizationsEnabled", true)), 204);
            ObjectNode org = Http.JSON.createObjectNode().put("name", "org-" + tag).put("enabled", true);
            org.putArray("domains").addObject().put("name", domain);
            expect(admin.send("POST", "/realms/acme/organizations", org), 201);
            organization = admin.get("/realms/acme/organizations?exact=true&search=" + Http.encode("org-" + tag))
                    .get(0).get("id").asText();
            expect(admin.send("POST", "/realms/acme/organizations/" + organization + "/identity-providers",
                    Http.JSON.getNodeFactory().textNode(social.alias())), 204);
            // Keycloak's own first-broker-login flow makes such a customer a managed member with this step.
            expect(admin.send("POST", flow + "/executions/execution",
                    Http.JSON.createObjectNode().put("provider", "idp-add-organization-member")), 201);
            ObjectNode step = (ObjectNode) StreamSupport.stream(admin.get(flow + "/executions").spliterator(), false)
                    .filter(execution -> "idp-add-organization-member".equals(execution.path("providerId").asText()))
                    .findFirst().orElseThrow();
            onboarding = step.get("id").asText();
            expect(admin.send("PUT", flow + "/executions", step.put("requirement", "REQUIRED")), 202, 204);

            OidcCodeFlow app = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
            browser.open(app.authorizationUrl(Attempt.fresh()));
            social.signIn(browser, email, PASSWORD);
            new ConsentPage(browser).accept("terms", "privacy");
            browser.until(driver -> driver.getCurrentUrl().startsWith(APP.toString()));
            String userId = admin.findUserByEmail("acme", email).get("id").asText();
            JsonNode members = admin.get("/realms/acme/organizations/" + organization + "/members");
            assertThat(members).as("a managed member of the organization").singleElement()
                    .satisfies(member -> assertThat(member.path("membershipType").asText()).isEqualTo("MANAGED"));
            Set<String> receipts = new HashSet<>();
            Ledgers.ledger(admin, userId).forEach(receipt -> receipts.add(receipt.get("receipt").asText()));
            assertThat(receipts).hasSize(3);

            expect(admin.send("DELETE", "/realms/acme/organizations/" + organization + "/members/" + userId, null), 204);

            assertThat(admin.findUserByEmail("acme", email)).as("Keycloak deletes a managed member").isNull();
            HttpResponse<String> export = admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("receipts?format=jsonl"), null);
            assertThat(export.body()).as("the ledger keeps pseudonymous proof only").doesNotContain(userId);
            String expected = "vault:" + HexFormat.of().formatHex(hmacSha256(PSEUDONYM_KEY, userId), 0, 28);
            assertThat(export.body().lines().map(Http::json).filter(line -> receipts.contains(line.get("receipt").asText())))
                    .hasSize(3).allSatisfy(receipt -> assertThat(receipt.get("user").asText()).isEqualTo(expected));
        } finally {
            if (onboarding != null) {
                admin.send("DELETE", "/realms/acme/authentication/executions/" + onboarding, null);
            }
            if (organization != null) {
                admin.send("DELETE", "/realms/acme/organizations/" + organization, null);
            }
            admin.send("PUT", "/realms/acme", Http.JSON.createObjectNode().put("organizationsEnabled", false));
        }
    }

    @Test
    void usersSeeOnlyTheirOwnConsentsAndAdminApisNeedTheirRoles(ServerUnderTest server, AdminApi admin) {
        String alice = newCustomer(admin);
        String bob = newCustomer(admin);
        String bobId = admin.findUserByEmail("acme", bob).get("id").asText();
        String aliceToken = userToken(server, alice);

        JsonNode mine = Http.json(self(server, aliceToken, "GET", "", null).body());
        assertThat(mine.toString()).doesNotContain(bobId).doesNotContain(bob);
        URI api = admin.consentAdmin("acme");
        for (String path : List.of("users/" + bobId + "/ledger", "users/" + UUID.randomUUID() + "/ledger",
                "receipts", "counts", "purposes", "settings", "pseudonym?user=" + bobId)) {
            assertThat(call(aliceToken, "GET", api.resolve(path), null).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(call(aliceToken, "PUT", api.resolve("purposes/terms"),
                "{\"id\":\"terms\",\"version\":9,\"required\":true,\"title\":\"a\",\"description\":\"b\"}").statusCode())
                .isEqualTo(403);
        assertThat(call(aliceToken, "POST", api.resolve("users/" + bobId + "/receipts"),
                "{\"decisions\":[{\"purpose\":\"marketing_email\",\"version\":1,\"decision\":\"granted\"}]}").statusCode())
                .isEqualTo(403);
        assertThat(call(null, "GET", api.resolve("purposes"), null).statusCode()).isEqualTo(401);
        assertThat(self(server, null, "GET", "", null).statusCode()).isEqualTo(401);

        // An administrator who may view users but not change the realm reads the ledger and cannot publish.
        String auditor = newCustomer(admin);
        String auditorId = admin.findUserByEmail("acme", auditor).get("id").asText();
        admin.grantClientRole("acme", auditorId, "realm-management", "view-users");
        String auditorToken = userToken(server, auditor);
        assertThat(call(auditorToken, "GET", api.resolve("users/" + bobId + "/ledger"), null).statusCode()).isEqualTo(200);
        assertThat(call(auditorToken, "PUT", api.resolve("purposes/terms"),
                "{\"id\":\"terms\",\"version\":9,\"required\":true,\"title\":\"a\",\"description\":\"b\"}").statusCode())
                .isEqualTo(403);
    }

    @Test
    void fiftyConcurrentDecisionsOfOneUserLeaveAConsistentLedgerWithinTheRateLimit(ServerUnderTest server,
            AdminApi admin) throws Exception {
        String email = newCustomer(admin);
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        String token = userToken(server, email);
        int before = Ledgers.ledger(admin, userId).size();

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String decision = i % 2 == 0 ? "granted" : "withdrawn";
            answers.add(pool.submit(() -> decide(server, token, "marketing_email",
                    "{\"decision\":\"" + decision + "\",\"version\":1}").statusCode()));
        }
        int succeeded = 0;
        for (Future<Integer> answer : answers) {
            assertThat(answer.get()).as("taken, or refused beyond 20 changes a minute").isIn(200, 429);
            if (answer.get() == 200) {
                succeeded++;
            }
        }
        pool.shutdown();
        assertThat(succeeded).as("at least the first change of each kind went through").isGreaterThanOrEqualTo(2);

        JsonNode ledger = Ledgers.ledger(admin, userId);
        assertThat(ledger.size() - before).as("only changes are recorded, at most 20 in the minute").isBetween(1, 20);
        Set<Long> seqs = new HashSet<>();
        ledger.forEach(receipt -> seqs.add(receipt.get("seq").asLong()));
        assertThat(seqs).as("receipt numbers 1..n, none twice, none missing").hasSize(ledger.size());
        assertThat(seqs).allMatch(seq -> seq >= 1 && seq <= ledger.size());
        JsonNode newest = ledger.get(0);
        assertThat(newest.get("seq").asLong()).isEqualTo(ledger.size());
        for (int i = 1; i < ledger.size() - before; i++) {
            assertThat(ledger.get(i).get("decision").asText()).as("each receipt changes the one before it")
                    .isNotEqualTo(ledger.get(i - 1).get("decision").asText());
        }
        JsonNode current = purpose(Http.json(self(server, token, "GET", "", null).body()), "marketing_email");
        assertThat(current.path("current").path("decision").asText()).as("standing = newest receipt")
                .isEqualTo(newest.get("decision").asText());
    }

    @Test
    void hostileInputGetsAClearRefusal(ServerUnderTest server, AdminApi admin) {
        String email = newCustomer(admin);
        String token = userToken(server, email);

        HttpResponse<String> unknown = decide(server, token, "no_such_purpose", "{\"decision\":\"granted\",\"version\":1}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no consent purpose in force with that id");
        int privacy = Http.json(admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("purposes/privacy"), null)
                .body()).get("version").asInt();
        HttpResponse<String> stale = decide(server, token, "marketing_email", "{\"decision\":\"granted\",\"version\":7}");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("version 7 of 'marketing_email' is not current; the current version is 1");
        HttpResponse<String> required = decide(server, token, "privacy",
                "{\"decision\":\"withdrawn\",\"version\":" + privacy + "}");
        assertThat(required.statusCode()).isEqualTo(409);
        HttpResponse<String> huge = decide(server, token, "marketing_email",
                "{\"decision\":\"granted\",\"version\":1,\"x\":\"" + "a".repeat(1_000_000) + "\"}");
        assertThat(huge.statusCode()).isIn(413);
        HttpResponse<String> garbage = decide(server, token, "marketing_email", "{\"decision\":\"maybe\"");
        assertThat(garbage.statusCode()).isEqualTo(400);

        HttpResponse<String> script = admin.sendAsAdmin("PUT", admin.consentAdmin("acme").resolve("purposes/hostile"),
                Http.json("{\"version\":1,\"required\":false,\"title\":\"<script>alert(1)</script>\","
                        + "\"description\":\"ok.key\",\"documentUrl\":\"javascript:alert(1)\"}"));
        assertThat(script.statusCode()).isEqualTo(400);
        assertThat(Http.json(script.body()).get("problems").toString()).contains("title must be a message key")
                .contains("documentUrl must be an absolute https://");
        assertThat(admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("purposes/hostile"), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void theDataExportHoldsExactlyTheCallersData(ServerUnderTest server, AdminApi admin) {
        String alice = newCustomer(admin);
        String bob = newCustomer(admin);
        String aliceId = admin.findUserByEmail("acme", alice).get("id").asText();
        String bobId = admin.findUserByEmail("acme", bob).get("id").asText();
        userToken(server, bob);
        String token = userToken(server, alice);

        HttpResponse<String> response = self(server, token, "GET", "/export", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        assertThat(response.headers().firstValue("Cache-Control")).as("personal data kept by no cache").hasValue("no-store");
        JsonNode data = Http.json(response.body());
        assertThat(data.path("profile").path("id").asText()).isEqualTo(aliceId);
        assertThat(data.path("profile").path("email").asText()).isEqualTo(alice);
        assertThat(data.path("consents").path("history")).isNotEmpty();
        assertThat(data.path("signIns")).as("Keycloak's stored sign-ins of the caller").isNotEmpty();
        data.path("signIns").forEach(signIn -> assertThat(signIn.path("type").asText()).startsWith("LOGIN"));
        assertThat(response.body()).doesNotContain(bobId).doesNotContain(bob);

        HttpResponse<String> csv = admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("receipts?format=csv&from="
                + java.time.Instant.now().minusSeconds(3600)), null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).startsWith("receipt,user,seq,purpose,version,decision,decidedAt");
        assertThat(csv.body()).contains(aliceId).contains(bobId);
        JsonNode counts = Http.json(admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("counts"), null).body());
        assertThat(counts).anySatisfy(row -> {
            assertThat(row.get("purpose").asText()).isEqualTo("terms");
            assertThat(row.get("decision").asText()).isEqualTo("granted");
            assertThat(row.get("count").asLong()).isPositive();
        });
    }

    private static byte[] hmacSha256(String key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String newCustomer(AdminApi admin) {
        String email = "consent-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
        return email;
    }

    private static void putLocalization(AdminApi admin, ServerUnderTest server, String key, String value) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/admin/realms/acme/localization/en/" + key))
                .header("Authorization", "Bearer " + admin.bearer())
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(value)).build());
        assertThat(response.statusCode()).isIn(200, 204);
    }

    private static String userToken(ServerUnderTest server, String email) {
        OidcCodeFlow flow = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        Attempt attempt = Attempt.fresh();
        String code = flow.signIn(attempt, email, PASSWORD).code();
        return flow.tokens(code, attempt.codeVerifier()).get("access_token").asText();
    }

    private static HttpResponse<String> decide(ServerUnderTest server, String token, String purpose, String body) {
        return self(server, token, "PUT", "/" + purpose, body);
    }

    private static HttpResponse<String> self(ServerUnderTest server, String token, String method, String path,
            String body) {
        return call(token, method, URI.create(server.realmUrl("acme") + "/ciam-consent/me" + path), body);
    }

    private static HttpResponse<String> call(String token, String method, URI uri, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return Http.send(request.build());
    }

    private static JsonNode purpose(JsonNode standing, String id) {
        for (JsonNode purpose : standing.get("purposes")) {
            if (purpose.get("id").asText().equals(id)) {
                return purpose;
            }
        }
        throw new AssertionError("no purpose " + id + " in " + standing);
    }

    private static void expect(HttpResponse<String> response, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
    }
}
