package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.ciampack.it.export.ExportRoutes;
import org.ciampack.it.export.WebhookReceiver;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.Pause;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 6, on a server whose operator turned cross-realm routes on: a master-realm route that takes the
 * acme realm's events needs view-events in acme, not only master's manage-realm; with it, acme's events arrive.
 * (With the option off, as on the suite's shared server, such routes are refused: ExportSecurityIT.)
 */
@Tag("local-distribution")
class ExportCrossRealmIT {

    private static final String PASSWORD = "Correct-Horse-42";

    @Test
    void aMasterRouteThatTakesAnotherRealmNeedsViewEventsThere() throws IOException {
        try (LocalKeycloak server = LocalKeycloak.startSeparate("export-cross-realm", List.of(
                "--spi-events-listener--ciam-export--cross-realm-routes=true"));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            AdminApi superAdmin = server.admin();
            String secretKey = "export-it-cross-" + UUID.randomUUID().toString().substring(0, 8);
            Files.writeString(LocalKeycloak.vault().resolve("master_" + secretKey), ExportRoutes.vaultSecret(secretKey));

            String username = "route-editor-" + UUID.randomUUID().toString().substring(0, 8);
            String editorId = masterUser(superAdmin, username);
            superAdmin.grantClientRole("master", editorId, "master-realm", "manage-realm");
            superAdmin.grantClientRole("master", editorId, "master-realm", "view-events");

            ObjectNode definition = ExportRoutes.webhookRoute(receiver.url("/all"), secretKey);
            definition.putObject("events").putArray("admin").add("USER.CREATE");
            definition.putArray("realms").add("acme");
            String route = "it-cross-realm";

            ExportRoutes asEditor = new ExportRoutes(server, new AdminApi(server.baseUrl(), username + "@master.test", PASSWORD),
                    "master");
            HttpResponse<String> refused = asEditor.put(route, definition);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("needs view-events in that realm");

            superAdmin.grantClientRole("master", editorId, "acme-realm", "view-events");
            asEditor = new ExportRoutes(server, new AdminApi(server.baseUrl(), username + "@master.test", PASSWORD), "master");
            HttpResponse<String> saved = asEditor.put(route, definition);
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);

            String acmeUser = superAdmin.createUser("acme", "cross-" + UUID.randomUUID().toString().substring(0, 8)
                    + "@acme.test", PASSWORD, true);
            receiver.await(event -> event.path("source").asText().equals("/realms/acme")
                            && event.toString().contains(acmeUser),
                    Duration.ofSeconds(60), "acme's USER.CREATE on the master route");

            routesWrittenAroundTheApiTakeOnlyMastersEvents(superAdmin, new ExportRoutes(server, superAdmin, "master"),
                    receiver, route, definition);
        }
    }

    /**
     * Master's attributes written with the realm API, as any writer of them can (an admin with master's manage-realm
     * alone, a realm import; here the super admin): the approved route pointed at another path while an acme event
     * waits in its queue (the route paused), and a new route naming every realm. Both are master's routes as stored,
     * but neither was saved by an admin who may view acme's events: they take master's events only, and the queued
     * acme event is not sent to the new path either.
     */
    private static void routesWrittenAroundTheApiTakeOnlyMastersEvents(AdminApi superAdmin, ExportRoutes routes,
            WebhookReceiver receiver, String route, ObjectNode definition) {
        routes.post("routes/" + route + "/pause");
        String queued = superAdmin.createUser("acme", "queued-" + UUID.randomUUID().toString().substring(0, 8)
                + "@acme.test", PASSWORD, true);
        Pause.millis(3_000); // handed to the paused route
        ObjectNode attributes = ((ObjectNode) superAdmin.get("/realms/master").path("attributes")).deepCopy();
        String approved = attributes.path("ciam.export.route." + route).asText();
        attributes.put("ciam.export.route." + route, approved.replace("/all", "/moved"));
        ObjectNode everyRealm = definition.deepCopy();
        ((ObjectNode) everyRealm.get("settings")).put("url", receiver.url("/every-realm").toString());
        everyRealm.putArray("realms").add("*");
        attributes.put("ciam.export.route.it-every-realm", everyRealm.toString());
        ObjectNode update = Http.JSON.createObjectNode();
        update.set("attributes", attributes);
        // master's own events reach its routes: what shows the routes work while acme's do not reach them
        update.putArray("eventsListeners").add("jboss-logging").add("ciam-export");
        HttpResponse<String> written = superAdmin.send("PUT", "/realms/master", update);
        assertThat(written.statusCode()).as(written.body()).isEqualTo(204);
        int before = receiver.received().size();
        Pause.millis(3_000); // the dispatchers have read the new attributes
        routes.post("routes/" + route + "/resume");

        String acmeUser = superAdmin.createUser("acme", "around-" + UUID.randomUUID().toString().substring(0, 8)
                + "@acme.test", PASSWORD, true);
        String masterUser = masterUser(superAdmin, "around-" + UUID.randomUUID().toString().substring(0, 8));
        for (String path : List.of("/moved", "/every-realm")) {
            receiver.await(event -> event.path("source").asText().equals("/realms/master")
                    && event.toString().contains(masterUser) && receiver.received().stream()
                    .anyMatch(request -> request.path().equals(path) && request.body().contains(masterUser)),
                    Duration.ofSeconds(60), "master's USER.CREATE at " + path);
        }
        Pause.millis(3_000); // anything fanned out beside master's event has arrived
        assertThat(receiver.received().subList(before, receiver.received().size()))
                .as("acme's event on a master route that no admin allowed to see acme saved")
                .noneMatch(request -> request.body().contains(acmeUser) || request.body().contains(queued));
    }

    /** A complete master-realm user (names too, so the default profile lets them sign in); returns the id. */
    private static String masterUser(AdminApi superAdmin, String username) {
        ObjectNode user = Http.JSON.createObjectNode().put("username", username + "@master.test")
                .put("email", username + "@master.test").put("firstName", "Route").put("lastName", "Editor")
                .put("enabled", true).put("emailVerified", true);
        user.putArray("credentials").addObject().put("type", "password").put("value", PASSWORD).put("temporary", false);
        HttpResponse<String> created = superAdmin.send("POST", "/realms/master/users", user);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
