package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.ciampack.it.consent.Ledgers;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.OrphanSweeps;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.harness.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Users Keycloak removes in bulk (a user storage removed from the realm, a store's "Remove imported users") come with
 * no deletion event: the pack's sweeps find what it keeps under their ids and treat it as for a deleted user (risk
 * history and notices gone, receipts pseudonymised, consent standing and profiling state gone), while what it keeps
 * about users who still exist stays. Customers of the suite's test store, signed in from the app in the demo flows.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class BulkRemovedUsersIT {

    private static final String PASSWORD = "Bulk-Removed-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    /** A sweep finds an id and cleans it up a sweep later; a few more for a loaded machine. */
    private static final Duration SWEPT = Duration.ofSeconds(LocalKeycloak.ORPHAN_SWEEP_SECONDS * 10L);

    private String storeId;

    @AfterEach
    void removeTheStore(AdminApi admin) {
        if (storeId != null) {
            admin.send("DELETE", "/realms/acme/components/" + storeId, null);
        }
    }

    @Test
    void aStoreRemovedAndAddedBackGivesItsCustomersAFreshStart(ServerUnderTest server, AdminApi admin) {
        String email = "swept-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        storeId = TestStores.add(admin, "acme", null, email, PASSWORD, false);
        String userId = "f:" + storeId + ":" + email;
        profileWithoutPhone(admin, userId, email);
        OidcCodeFlow app = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        assertThat(location(app.signInAcceptingConsents(email, PASSWORD))).startsWith(APP.toString());
        Set<String> receipts = receiptIds(Ledgers.ledger(admin, userId));
        assertThat(receipts).isNotEmpty();
        assertThat(historyConsidered(server, admin, email)).as("the sign-in's history").isPositive();
        String bystander = bystanderWithReceipts(admin);
        List<String> bystanderReceipts = Ledgers.decisions(Ledgers.ledger(admin, bystander));

        Map<String, Double> sweeps = OrphanSweeps.done(List.of(server));
        Map<String, Double> cleaned = OrphanSweeps.cleaned(List.of(server));
        HttpResponse<String> removed = admin.send("DELETE", "/realms/acme/components/" + storeId, null);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);

        String pseudonym = pseudonym(admin, userId);
        await("the store's customer's receipts pseudonymised",
                () -> receiptsNow(server, admin, receipts).values().stream().allMatch(pseudonym::equals));
        // Each module's sweeps run apart: three of each begun after the removal have found and cleaned it up.
        await("three sweeps of each module", () -> OrphanSweeps.MODULES.stream().allMatch(module ->
                OrphanSweeps.done(List.of(server)).get(module) >= sweeps.get(module) + 3));
        Map<String, Double> cleanedNow = OrphanSweeps.cleaned(List.of(server));
        OrphanSweeps.MODULES.forEach(module -> assertThat(cleanedNow.get(module))
                .as(module + " cleaned up after a user").isGreaterThan(cleaned.get(module)));
        assertThat(Ledgers.decisions(Ledgers.ledger(admin, bystander))).as("a customer who still exists keeps theirs")
                .isEqualTo(bystanderReceipts);

        // The store back under the same id: the same ids again, and nothing from before under them.
        assertThat(TestStores.add(admin, "acme", storeId, email, PASSWORD, false)).isEqualTo(storeId);
        profileWithoutPhone(admin, userId, email);
        assertThat(Ledgers.ledger(admin, userId)).as("no receipts under the id").isEmpty();
        assertThat(historyConsidered(server, admin, email)).as("no history").isZero();
        OidcCodeFlow again = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP); // Keycloak's session went
        HttpResponse<String> page = again.follow(again.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(page, "ciam-consent-form")).as("no consent standing: asked again")
                .isTrue();
        HttpResponse<String> landed = again.follow(again.submitForm(page, "ciam-consent-form",
                Map.of("consent.terms", "on", "consent.privacy", "on")));
        // The demo asks for the phone from the second sign-in on: this is a first one again, not the second.
        assertThat(location(landed)).as("no profiling state: a first sign-in, so no phone question yet")
                .startsWith(APP.toString());
    }

    @Test
    void customersRemovedWithRemoveImportedUsersLeaveNoReceiptsUnderTheirIds(ServerUnderTest server,
                                                                                AdminApi admin) {
        String email = "imported-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        storeId = TestStores.add(admin, "acme", null, email, PASSWORD, true);
        OidcCodeFlow app = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        assertThat(location(app.signInAcceptingConsents(email, PASSWORD))).startsWith(APP.toString());
        JsonNode copy = admin.findUserByEmail("acme", email);
        assertThat(copy.path("federationLink").asText()).as("a local copy, linked").isEqualTo(storeId);
        String userId = copy.get("id").asText();
        Set<String> receipts = receiptIds(Ledgers.ledger(admin, userId));
        assertThat(receipts).isNotEmpty();
        String bystander = bystanderWithReceipts(admin);
        List<String> bystanderReceipts = Ledgers.decisions(Ledgers.ledger(admin, bystander));

        HttpResponse<String> removed = admin.send("POST",
                "/realms/acme/user-storage/" + storeId + "/remove-imported-users", null);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
        assertThat(admin.send("GET", "/realms/acme/users/" + userId, null).statusCode()).isEqualTo(404);

        String pseudonym = pseudonym(admin, userId);
        await("the removed copy's receipts pseudonymised",
                () -> receiptsNow(server, admin, receipts).values().stream().allMatch(pseudonym::equals));
        assertThat(Ledgers.decisions(Ledgers.ledger(admin, bystander))).as("a customer who still exists keeps theirs")
                .isEqualTo(bystanderReceipts);
    }

    /** Names and a birthdate, no phone: the demo's profiling asks for the phone from a customer's second sign-in. */
    private static void profileWithoutPhone(AdminApi admin, String userId, String email) {
        ObjectNode profile = Http.JSON.createObjectNode().put("username", email).put("email", email)
                .put("emailVerified", true).put("firstName", "Swee").put("lastName", "Pt");
        profile.putObject("attributes").putArray("birthdate")
                .add(AdminApi.EXISTING_CUSTOMER_PROFILE.get("birthdate"));
        HttpResponse<String> updated = admin.send("PUT", "/realms/acme/users/" + Http.encode(userId), profile);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(204);
    }

    private static String bystanderWithReceipts(AdminApi admin) {
        String id = admin.createUser("acme", "bystander-" + UUID.randomUUID().toString().substring(0, 8)
                + "@acme.test", PASSWORD, true); // with the receipts a migration would import
        assertThat(Ledgers.ledger(admin, id)).isNotEmpty();
        return id;
    }

    private static Set<String> receiptIds(JsonNode ledger) {
        Set<String> ids = new HashSet<>();
        ledger.forEach(receipt -> ids.add(receipt.get("receipt").asText()));
        return ids;
    }

    /** Whom each of these receipts names now, from the realm's receipts export. */
    private static Map<String, String> receiptsNow(ServerUnderTest server, AdminApi admin, Set<String> ids) {
        HttpResponse<String> export = admin.sendAsAdmin("GET", admin.consentAdmin("acme")
                .resolve("receipts?format=jsonl&from=" + Instant.now().minus(Duration.ofHours(1))), null);
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        Map<String, String> users = export.body().lines().map(Http::json)
                .filter(receipt -> ids.contains(receipt.get("receipt").asText()))
                .collect(Collectors.toMap(receipt -> receipt.get("receipt").asText(),
                        receipt -> receipt.get("user").asText()));
        assertThat(users.keySet()).as("every receipt is kept").isEqualTo(ids);
        return users;
    }

    private static String pseudonym(AdminApi admin, String userId) {
        HttpResponse<String> lookup = admin.sendAsAdmin("GET",
                admin.consentAdmin("acme").resolve("pseudonym?user=" + Http.encode(userId)), null);
        assertThat(lookup.statusCode()).as(lookup.body()).isEqualTo(200);
        return Http.json(lookup.body()).get("pseudonym").asText();
    }

    private static int historyConsidered(ServerUnderTest server, AdminApi admin, String email) {
        ObjectNode question = Http.JSON.createObjectNode().put("username", email).put("ipAddress", "198.51.100.9")
                .put("userAgent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
        HttpResponse<String> answer = admin.postAsAdmin(URI.create(server.adminRealmUrl("acme") + "/ciam-risk/what-if"),
                question);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.json(answer.body()).get("historyConsidered").asInt();
    }

    private static void await(String what, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(SWEPT);
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as(what + " within " + SWEPT).isBefore(deadline);
            Pause.millis(500);
        }
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse("");
    }
}
