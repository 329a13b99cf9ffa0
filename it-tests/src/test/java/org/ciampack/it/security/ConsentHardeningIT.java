package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
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
import org.ciampack.it.pages.ConsentPage;
import org.ciampack.it.pages.LoginPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Issue 15 on the consent ledger: a repeated decision adds nothing, a user's changes are limited per minute, the
 * declined page shows a hostile translation as inert text, and a deleted user's pseudonym is keyed.
 */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class ConsentHardeningIT {

    private static final String PASSWORD = "Consent-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final int PER_MINUTE = 20; // the demo realm keeps the default

    @Test
    void repeatingTheStandingDecisionWritesNoReceiptAndNoEvent(ServerUnderTest server, AdminApi admin) {
        String email = newCustomer(admin); // marketing declined by the import
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        String token = userToken(server, email);

        assertThat(decide(server, token, "granted").statusCode()).isEqualTo(200);
        int receipts = ledger(admin, userId).size();
        int events = admin.events("acme", userId, "UPDATE_CONSENT").size();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> again = decide(server, token, "granted");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(marketing(Http.json(again.body())).path("current").path("decision").asText()).isEqualTo("granted");
        }
        assertThat(ledger(admin, userId)).as("no receipt for an unchanged decision").hasSize(receipts);
        assertThat(admin.events("acme", userId, "UPDATE_CONSENT")).as("and no event").hasSize(events);

        // The admin import skips what is already the standing, and keeps what changes it.
        URI api = admin.consentAdmin("acme").resolve("users/" + userId + "/receipts");
        HttpResponse<String> same = admin.sendAsAdmin("POST", api, Http.json("{\"source\":\"import\",\"decisions\":["
                + "{\"purpose\":\"marketing_email\",\"version\":1,\"decision\":\"granted\"}]}"));
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(Http.json(same.body())).isEmpty();
        HttpResponse<String> changed = admin.sendAsAdmin("POST", api, Http.json("{\"source\":\"admin\",\"decisions\":["
                + "{\"purpose\":\"marketing_email\",\"version\":1,\"decision\":\"withdrawn\"}]}"));
        assertThat(changed.statusCode()).isEqualTo(201);
        assertThat(Http.json(changed.body())).hasSize(1);
        assertThat(Http.json(changed.body()).get(0).path("ipAddress").isNull())
                .as("the admin's address is not the customer's").isTrue();
        assertThat(Http.json(changed.body()).get(0).path("userAgent").isNull())
                .as("nor the admin's browser").isTrue();
        assertThat(ledger(admin, userId)).hasSize(receipts + 1);
        assertThat(admin.events("acme", userId, "UPDATE_CONSENT")).hasSize(events + 1);
    }

    @Test
    void moreThanTwentyChangesInAMinuteAreRefusedWithRetryAfter(ServerUnderTest server, AdminApi admin) {
        String email = newCustomer(admin);
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        String token = userToken(server, email);
        int before = ledger(admin, userId).size();

        Instant started = Instant.now();
        for (int i = 0; i < PER_MINUTE; i++) {
            assertThat(decide(server, token, i % 2 == 0 ? "granted" : "withdrawn").statusCode()).as("change " + (i + 1))
                    .isEqualTo(200);
        }
        HttpResponse<String> over = decide(server, token, "granted");
        assertThat(Duration.between(started, Instant.now())).as("the changes fell within one minute")
                .isLessThan(Duration.ofSeconds(55));
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(Http.json(over.body()).get("error").asText()).startsWith("at most 20 consent changes per minute; "
                + "try again in ");
        long retryAfter = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(ledger(admin, userId)).as("nothing recorded beyond the limit").hasSize(before + PER_MINUTE);

        HttpResponse<String> standing = decide(server, token, "withdrawn");
        assertThat(standing.statusCode()).as("repeating the standing decision costs nothing").isEqualTo(200);
        assertThat(Http.json(self(server, token, "GET", "", null).body()).get("purposes")).isNotEmpty();

        String other = newCustomer(admin);
        assertThat(decide(server, userToken(server, other), "granted").statusCode()).as("other users are not held up")
                .isEqualTo(200);
    }

    @Test
    void theDeclinedPageShowsAHostileTranslationAsInertText(ServerUnderTest server, AdminApi admin, Browser browser) {
        String email = newCustomer(admin);
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        assertThat(admin.sendAsAdmin("POST", admin.consentAdmin("acme").resolve("purposes/privacy/reconsent"),
                Http.json("{\"users\":[\"" + userId + "\"]}")).statusCode()).isEqualTo(200);
        putLocalization(admin, server, "backToLogin", "&laquo; Back to Login (acme)<img src=x onerror=\"window.pwned=true\">"
                + "<script>window.pwned=true</script>");
        try {
            browser.open(AccountConsole.url(server.realmUrl("acme")));
            new LoginPage(browser).signIn(email, PASSWORD);
            ConsentPage consent = new ConsentPage(browser);
            assertThat(consent.purposesAsked()).containsExactly("privacy");
            consent.declineAndSignOut();
            browser.capture("consent-declined-hostile-translation");

            JavascriptExecutor page = (JavascriptExecutor) browser.driver();
            assertThat(page.executeScript("return window.pwned === true")).isEqualTo(false);
            assertThat(page.executeScript("return document.querySelectorAll('[onerror]').length")).isEqualTo(0L);
            assertThat(page.executeScript("return document.querySelectorAll('#ciam-consent-back script').length"))
                    .isEqualTo(0L);
            assertThat(browser.driver().findElement(By.id("ciam-consent-back")).getText())
                    .as("the realm's translation is the one shown").contains("Back to Login (acme)");
        } finally {
            admin.send("DELETE", "/realms/acme/localization/en/backToLogin", null);
        }
    }

    @Test
    void withoutAVaultKeyTheRealmKeyStillKeysThePseudonymAndASecretIsNeverASetting(ServerUnderTest server,
            AdminApi admin) throws Exception {
        URI settings = admin.consentAdmin("acme").resolve("settings");
        JsonNode original = Http.json(admin.sendAsAdmin("GET", settings, null).body());
        assertThat(original.get("pseudonymKey").asText()).isEqualTo("${vault.consent-pseudonym-key}");
        HttpResponse<String> literal = admin.sendAsAdmin("PUT", settings, Http.json("{\"pseudonymKey\":\"s3cret\"}"));
        assertThat(literal.statusCode()).isEqualTo(400);
        assertThat(literal.body()).contains("pseudonymKey must name a vault secret");
        HttpResponse<String> another = admin.sendAsAdmin("PUT", settings,
                Http.json("{\"pseudonymKey\":\"${vault.export-webhook-secret}\"}"));
        assertThat(another.statusCode()).as("another of the realm's secrets").isEqualTo(400);
        assertThat(another.body()).contains("starts with 'consent-'");

        ObjectNode missing = Http.JSON.createObjectNode().put("pseudonymKey", "${vault.consent-no-such-key}");
        assertThat(admin.sendAsAdmin("PUT", settings, missing).statusCode()).isEqualTo(200);
        try {
            String email = newCustomer(admin);
            String userId = admin.findUserByEmail("acme", email).get("id").asText();
            Set<String> receipts = receiptIds(ledger(admin, userId));
            assertThat(admin.send("DELETE", "/realms/acme/users/" + userId, null).statusCode()).isEqualTo(204);

            List<JsonNode> kept = exported(admin, receipts);
            assertThat(kept).hasSize(receipts.size());
            String realmId = admin.get("/realms/acme").get("id").asText();
            for (JsonNode receipt : kept) {
                String pseudonym = receipt.get("user").asText();
                assertThat(pseudonym).matches("realm:[0-9a-f]{56}");
                assertThat(pseudonym).doesNotContain(sha256(userId).substring(0, 56))
                        .doesNotContain(sha256(realmId + "/" + userId).substring(0, 56));
                assertThat(receipt.get("pseudonymous").asBoolean()).isTrue();
            }
            assertThat(kept.stream().map(receipt -> receipt.get("user").asText()).distinct()).hasSize(1);
            HttpResponse<String> lookup = admin.sendAsAdmin("GET", admin.consentAdmin("acme")
                    .resolve("pseudonym?user=" + userId), null);
            assertThat(Http.json(lookup.body()).get("pseudonym").asText()).as("an auditor still finds them")
                    .isEqualTo(kept.get(0).get("user").asText());

            // The realm key also signs device cookies: a look-up of "<realm id>/<device id>" must not give one away.
            String device = deviceCookie(server, newCustomer(admin));
            String deviceId = device.substring(0, device.indexOf('.'));
            String signature = HexFormat.of().formatHex(Base64.getUrlDecoder().decode(device.substring(
                    device.indexOf('.') + 1)));
            HttpResponse<String> probe = admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("pseudonym?user="
                    + Http.encode(realmId + "/" + deviceId)), null);
            assertThat(probe.statusCode()).isEqualTo(200);
            assertThat(signature).as("the device cookie's signature")
                    .doesNotStartWith(Http.json(probe.body()).get("pseudonym").asText().substring("realm:".length()));
        } finally {
            ObjectNode back = Http.JSON.createObjectNode().put("pseudonymKey", original.get("pseudonymKey").asText());
            assertThat(admin.sendAsAdmin("PUT", settings, back).statusCode()).isEqualTo(200);
        }
    }

    static List<JsonNode> exported(AdminApi admin, Set<String> receiptIds) {
        HttpResponse<String> export = admin.sendAsAdmin("GET", admin.consentAdmin("acme").resolve("receipts?format=jsonl"
                + "&from=" + Instant.now().minusSeconds(3600)), null);
        assertThat(export.statusCode()).isEqualTo(200);
        return export.body().lines().map(Http::json).filter(line -> receiptIds.contains(line.get("receipt").asText()))
                .toList();
    }

    static Set<String> receiptIds(JsonNode ledger) {
        Set<String> ids = new HashSet<>();
        ledger.forEach(receipt -> ids.add(receipt.get("receipt").asText()));
        return ids;
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Two admins editing the purpose catalog at once (it is one realm attribute: read, change, write back): each
     * edit follows the other, none silently undoes another. Sixteen purposes saved at once, then withdrawn at once, in
     * a realm of its own.
     */
    @Test
    void adminsEditingTheCatalogAtOnceLoseNoChange(AdminApi admin) throws Exception {
        String realm = "catalog-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin.send("POST", "/realms", Http.JSON.createObjectNode().put("realm", realm).put("enabled", true))
                .statusCode()).isEqualTo(201);
        java.util.concurrent.ExecutorService admins = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            URI api = admin.consentAdmin(realm);
            // the catalog's first purpose (its attribute made), alone: two first edits at once may still collide
            assertThat(admin.sendAsAdmin("PUT", api.resolve("purposes/first"), Http.json("{\"version\":1,"
                    + "\"required\":false,\"title\":\"t\",\"description\":\"d\"}")).statusCode()).isEqualTo(201);
            List<String> ids = java.util.stream.IntStream.range(0, 16).mapToObj(i -> "purpose_" + i).toList();
            List<java.util.concurrent.Future<HttpResponse<String>>> saves = new java.util.ArrayList<>();
            for (String id : ids) {
                saves.add(admins.submit(() -> admin.sendAsAdmin("PUT", api.resolve("purposes/" + id), Http.json(
                        "{\"version\":1,\"required\":false,\"title\":\"t-" + id + "\",\"description\":\"d\"}"))));
            }
            for (var save : saves) {
                assertThat(save.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(201);
            }
            JsonNode catalog = Http.json(admin.sendAsAdmin("GET", api.resolve("purposes"), null).body());
            Set<String> saved = new HashSet<>();
            catalog.forEach(purpose -> saved.add(purpose.path("id").asText()));
            saved.remove("first");
            assertThat(saved).as("every purpose saved at once is in the catalog").containsExactlyInAnyOrderElementsOf(ids);

            List<java.util.concurrent.Future<HttpResponse<String>>> removals = new java.util.ArrayList<>();
            for (String id : ids.subList(0, 8)) {
                removals.add(admins.submit(() -> admin.sendAsAdmin("DELETE", api.resolve("purposes/" + id), null)));
            }
            for (var removal : removals) {
                assertThat(removal.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(204);
            }
            Set<String> left = new HashSet<>();
            Http.json(admin.sendAsAdmin("GET", api.resolve("purposes"), null).body())
                    .forEach(purpose -> left.add(purpose.path("id").asText()));
            left.remove("first");
            assertThat(left).as("the purposes not withdrawn, and only they").containsExactlyInAnyOrderElementsOf(ids.subList(8, 16));
        } finally {
            admins.shutdownNow();
            admin.send("DELETE", "/realms/" + realm, null);
        }
    }

    /**
     * A grant of version N is proof that the customer accepted version N's wording: new wording at the same version is
     * refused, and so is a purpose removed and made again at a version the ledger already holds decisions on.
     */
    @Test
    void aPurposesWordingIsProofOfItsVersion(AdminApi admin) {
        URI api = admin.consentAdmin("acme");
        String id = "proof_" + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
        URI purpose = api.resolve("purposes/" + id);
        String marketing = "{\"version\":%d,\"required\":false,\"title\":\"ciamConsentMarketingTitle\","
                + "\"description\":\"%s\"}";
        assertThat(admin.sendAsAdmin("PUT", purpose, Http.json(marketing.formatted(1, "ciamConsentMarketingDescription")))
                .statusCode()).isEqualTo(201);
        try {
            String userId = admin.findUserByEmail("acme", newCustomer(admin)).get("id").asText();
            HttpResponse<String> granted = admin.sendAsAdmin("POST", api.resolve("users/" + userId + "/receipts"),
                    Http.json("{\"source\":\"import\",\"decisions\":[{\"purpose\":\"" + id
                            + "\",\"version\":1,\"decision\":\"granted\"}]}"));
            assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);

            HttpResponse<String> reworded = admin.sendAsAdmin("PUT", purpose,
                    Http.json(marketing.formatted(1, "ciamConsentTermsDescription")));
            assertThat(reworded.statusCode()).isEqualTo(400);
            assertThat(reworded.body()).contains("needs a higher version (it is 1)");

            assertThat(admin.sendAsAdmin("DELETE", purpose, null).statusCode()).isEqualTo(204);
            HttpResponse<String> again = admin.sendAsAdmin("PUT", purpose,
                    Http.json(marketing.formatted(1, "ciamConsentTermsDescription")));
            assertThat(again.statusCode()).as("made again at the version its old wording was granted at").isEqualTo(400);
            assertThat(again.body()).contains("version must be above 1");
            assertThat(admin.sendAsAdmin("PUT", purpose, Http.json(marketing.formatted(2, "ciamConsentTermsDescription")))
                    .statusCode()).isEqualTo(201);
        } finally {
            admin.sendAsAdmin("DELETE", purpose, null);
        }
    }

    /** The device cookie a new browser gets at its first sign-in. */
    private static String deviceCookie(ServerUnderTest server, String email) {
        OidcCodeFlow app = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        HttpResponse<String> signedIn = app.submitLogin(Attempt.fresh(), email, PASSWORD);
        return signedIn.headers().allValues("Set-Cookie").stream().filter(cookie -> cookie.startsWith("CIAM_DEVICE="))
                .map(cookie -> cookie.substring("CIAM_DEVICE=".length(), cookie.indexOf(';')))
                .findFirst().orElseThrow(() -> new AssertionError("no device cookie: " + signedIn.headers()));
    }

    private static String newCustomer(AdminApi admin) {
        String email = "hardening-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
        return email;
    }

    private static JsonNode ledger(AdminApi admin, String userId) {
        HttpResponse<String> response = admin.sendAsAdmin("GET", admin.consentAdmin("acme")
                .resolve("users/" + userId + "/ledger"), null);
        assertThat(response.statusCode()).isEqualTo(200);
        return Http.json(response.body());
    }

    private static JsonNode marketing(JsonNode standing) {
        for (JsonNode purpose : standing.get("purposes")) {
            if ("marketing_email".equals(purpose.get("id").asText())) {
                return purpose;
            }
        }
        throw new AssertionError("no marketing_email in " + standing);
    }

    private static String userToken(ServerUnderTest server, String email) {
        OidcCodeFlow flow = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        Attempt attempt = Attempt.fresh();
        String code = flow.signIn(attempt, email, PASSWORD).code();
        return flow.tokens(code, attempt.codeVerifier()).get("access_token").asText();
    }

    private static HttpResponse<String> decide(ServerUnderTest server, String token, String decision) {
        return self(server, token, "PUT", "/marketing_email", "{\"decision\":\"" + decision + "\",\"version\":1}");
    }

    private static HttpResponse<String> self(ServerUnderTest server, String token, String method, String path,
            String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.realmUrl("acme") + "/ciam-consent/me"
                + path)).timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return Http.send(request.build());
    }

    private static void putLocalization(AdminApi admin, ServerUnderTest server, String key, String value) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/admin/realms/acme/localization/en/" + key))
                .header("Authorization", "Bearer " + admin.bearer())
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(value)).build());
        assertThat(response.statusCode()).isIn(200, 204);
    }
}
