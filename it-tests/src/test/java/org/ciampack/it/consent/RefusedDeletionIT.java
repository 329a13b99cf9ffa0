package org.ciampack.it.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.harness.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deletion that the customer's user storage refuses (a read-only directory: the suite's test store, which holds
 * one customer and never deletes them) deletes nothing the pack keeps about them: their receipts stay under their
 * id, not pseudonymised as for a deleted user, whether Keycloak's own "Delete account" asked (it reports the failure
 * and carries on) or the pack's delete-after-decline did (it tells the customer). From the app, in the demo flows.
 */
@CiamIntegrationTest
class RefusedDeletionIT {

    private static final String PASSWORD = "Refused-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    private String storeId;
    private String email;
    private String userId;

    @BeforeEach
    void aCustomerOnlyAReadOnlyDirectoryHolds(AdminApi admin) {
        email = "refused-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        storeId = TestStores.add(admin, "acme", null, email, PASSWORD, false);
        userId = "f:" + storeId + ":" + email;
        // the profile the demo's progressive profiling asks of an existing customer, as for the suite's others
        ObjectNode profile = Http.JSON.createObjectNode().put("username", email).put("email", email)
                .put("emailVerified", true).put("firstName", "Rae").put("lastName", "Fused");
        ObjectNode attributes = profile.putObject("attributes");
        AdminApi.EXISTING_CUSTOMER_PROFILE.forEach((name, value) -> attributes.putArray(name).add(value));
        HttpResponse<String> updated = admin.send("PUT", user(), profile);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(204);
    }

    @AfterEach
    void removeTheStore(AdminApi admin) {
        admin.send("DELETE", "/realms/acme/components/" + storeId, null);
    }

    @Test
    void keycloaksDeleteAccountThatTheStoreRefusesKeepsTheCustomersReceipts(ServerUnderTest server, AdminApi admin) {
        OidcCodeFlow app = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        assertThat(location(app.signInAcceptingConsents(email, PASSWORD))).startsWith(APP.toString());
        List<String> receipts = Ledgers.decisions(Ledgers.ledger(admin, userId));
        assertThat(receipts).anyMatch(decision -> decision.startsWith("privacy:") && decision.endsWith(":granted"));

        String action = "/realms/acme/authentication/required-actions/delete_account";
        ObjectNode deleteAccount = (ObjectNode) admin.get(action);
        boolean wasEnabled = deleteAccount.path("enabled").asBoolean();
        admin.send("PUT", action, deleteAccount.put("enabled", true));
        try {
            admin.grantClientRole("acme", userId, "account", "delete-account");
            HttpResponse<String> page = app.follow(app.send("GET",
                    URI.create(app.authorizationUrl(Attempt.fresh()) + "&kc_action=delete_account"), Map.of()));
            if (OidcCodeFlow.hasForm(page, "kc-form-login")) { // delete_account asks for the password again
                page = app.follow(app.submitForm(page, "kc-form-login",
                        Map.of("username", email, "password", PASSWORD, "credentialId", "")));
            }
            assertThat(OidcCodeFlow.hasForm(page, "kc-deleteaccount-form")).as(page.body()).isTrue();
            HttpResponse<String> answered = app.follow(app.submitForm(page, "kc-deleteaccount-form", Map.of()));

            assertThat(location(answered)).as("back to the app, the action failed").startsWith(APP.toString())
                    .contains("error=access_denied");
            assertThat(admin.events("acme", userId, "DELETE_ACCOUNT_ERROR").findValuesAsText("error"))
                    .as("Keycloak's own report").contains("User could not be deleted");
            assertThat(admin.send("GET", user(), null).statusCode()).as("the customer is still there").isEqualTo(200);
            assertThat(Ledgers.decisions(Ledgers.ledger(admin, userId))).as("their receipts, under their id")
                    .isEqualTo(receipts);
            assertThat(admin.get(user()).path("firstName").isTextual())
                    .as("what Keycloak kept beside the store it removed before asking the store (the README says so)")
                    .isFalse();
        } finally {
            admin.send("PUT", action, deleteAccount.put("enabled", wasEnabled));
        }
    }

    @Test
    void aDeclinedCustomerWhoseStoreRefusesTheDeletionIsToldAndLosesNothing(ServerUnderTest server, AdminApi admin) {
        OidcCodeFlow app = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        HttpResponse<String> consent = app.follow(app.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(consent, "ciam-consent-form")).as(consent.body()).isTrue();
        HttpResponse<String> declined = app.submitForm(consent, "ciam-consent-form", Map.of("decline", ""));
        assertThat(declined.body()).contains("id=\"ciam-consent-declined\"");
        List<String> afterDecline = Ledgers.decisions(Ledgers.ledger(admin, userId));
        assertThat(afterDecline)
                .anyMatch(decision -> decision.startsWith("privacy:") && decision.endsWith(":declined"));

        HttpResponse<String> refused = app.follow(app.submitForm(declined, "ciam-consent-delete-form",
                Map.of("delete-account", "")));

        assertThat(refused.body()).as("the customer is told").contains("id=\"ciam-consent-delete-failed\"")
                .doesNotContain("id=\"ciam-consent-deleted\"");
        assertThat(admin.send("GET", user(), null).statusCode()).as("the customer is still there").isEqualTo(200);
        assertThat(admin.get(user()).path("firstName").asText()).as("their profile too").isEqualTo("Rae");
        assertThat(Ledgers.decisions(Ledgers.ledger(admin, userId))).as("their receipts, under their id")
                .isEqualTo(afterDecline);
        assertThat(admin.events("acme", userId, "DELETE_ACCOUNT")).as("no deletion reported").isEmpty();
        assertThat(location(app.signInAcceptingConsents(email, PASSWORD))).as("they may still change their mind")
                .startsWith(APP.toString());
    }

    private String user() {
        return "/realms/acme/users/" + Http.encode(userId);
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse("");
    }
}
