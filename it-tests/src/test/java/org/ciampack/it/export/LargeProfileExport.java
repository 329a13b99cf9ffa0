package org.ciampack.it.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;

/**
 * A customer with 80 KB of attributes updates their profile at login, from the app, and the profile event reaches a
 * webhook with every attribute whole: an event longer than a 64 KB column, on whichever database the server keeps
 * its outbox.
 */
public final class LargeProfileExport {

    private static final String PASSWORD = "Large-Profile-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    /** Forty notes of 2,000 characters (Keycloak's limit for an unmanaged attribute is 2,048): 80 KB of profile. */
    private static final int NOTES = 40;
    private static final int NOTE_LENGTH = 2_000;

    private LargeProfileExport() {
    }

    /** Runs the journey in acme; the realm's user profile is as before afterwards. */
    public static void assertExportedWhole(ServerUnderTest server, AdminApi admin) {
        JsonNode profileBefore = admin.get("/realms/acme/users/profile");
        ObjectNode profileConfig = profileBefore.deepCopy();
        profileConfig.put("unmanagedAttributePolicy", "ADMIN_EDIT");
        assertThat(admin.send("PUT", "/realms/acme/users/profile", profileConfig).statusCode()).isEqualTo(200);
        String routeName = "large-" + UUID.randomUUID().toString().substring(0, 8);
        ExportRoutes routes = new ExportRoutes(server, admin);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String secretKey = "export-" + routeName;
            ExportRoutes.vaultSecret(secretKey);
            ObjectNode route = ExportRoutes.webhookRoute(receiver.url("/profiles"), secretKey);
            route.putObject("events").putArray("user").add("UPDATE_PROFILE");
            routes.create(routeName, route);

            String email = routeName + "@acme.test";
            Map<String, String> attributes = new HashMap<>(AdminApi.EXISTING_CUSTOMER_PROFILE);
            for (int i = 0; i < NOTES; i++) {
                attributes.put("note" + i, String.valueOf((char) ('a' + i % 26)).repeat(NOTE_LENGTH));
            }
            String userId = admin.createUser("acme", email, PASSWORD, true, attributes);
            admin.requireActions("acme", userId, "UPDATE_PROFILE");

            OidcCodeFlow browser = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
            HttpResponse<String> profilePage = browser.follow(browser.submitLogin(Attempt.fresh(), email, PASSWORD));
            assertThat(OidcCodeFlow.hasForm(profilePage, "kc-update-profile-form")).as("update profile page").isTrue();
            HttpResponse<String> done = browser.submitForm(profilePage, "kc-update-profile-form",
                    Map.of("email", email, "firstName", "Grace", "lastName", "Hopper"));
            assertThat(browser.callbackFrom(done).code()).as("the login reaches the app").isNotBlank();

            JsonNode event = receiver.await(delivered -> delivered.path("type").asText()
                    .equals("org.ciampack.keycloak.user.UPDATE_PROFILE")
                    && userId.equals(delivered.path("data").path("userId").asText()), Duration.ofSeconds(60),
                    "UPDATE_PROFILE of the customer");
            JsonNode exported = event.path("data").path("user").path("attributes");
            for (int i = 0; i < NOTES; i++) {
                assertThat(exported.path("note" + i).path(0).asText()).as("note" + i + ", whole").hasSize(NOTE_LENGTH);
            }
            assertThat(event.toString().length()).as("longer than a 64 KB column holds").isGreaterThan(65_535);
        } finally {
            routes.remove(routeName);
            admin.send("PUT", "/realms/acme/users/profile", profileBefore);
        }
    }
}
