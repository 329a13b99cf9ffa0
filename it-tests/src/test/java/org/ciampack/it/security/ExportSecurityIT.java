package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.ciampack.it.export.ExportRoutes;
import org.ciampack.it.export.WebhookReceiver;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 on the event export: a route cannot be turned against the server's own network or its vault. Only an
 * admin with manage-realm decides where events go; internal destinations are refused at save and at connect time;
 * answers show a status, never the receiver's body; vault keys outside export- and secrets in clear are refused;
 * cross-realm routes are the operator's choice; bodies and replays are capped; a removed route leaves no gauge.
 * The suite's server allows 127.0.0.1/32 (where the receivers listen) and nothing else internal.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class ExportSecurityIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final Duration WITHIN = Duration.ofSeconds(60);

    private ServerUnderTest server;
    private AdminApi admin;
    private ExportRoutes routes;
    private String secretKey;
    private final List<String> created = new ArrayList<>();
    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeEach
    void setUp(ServerUnderTest server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        routes = new ExportRoutes(server, admin);
        secretKey = "export-it-sec-" + suffix();
        ExportRoutes.vaultSecret(secretKey);
    }

    @AfterEach
    void tearDown() {
        created.forEach(routes::remove);
        receivers.forEach(WebhookReceiver::close);
    }

    @Test
    void onlyAnAdminWithManageRealmCreatesTestsOrRemovesRoutes() {
        WebhookReceiver receiver = receiver(WebhookReceiver.start());
        String existing = route("it-sec-existing", receiver.url("/in"));
        String eventsAdmin = realmAdmin("manage-events", "view-events");
        String realmManager = realmAdmin("manage-realm", "view-events");
        String name = "it-sec-new-" + suffix();
        created.add(name);
        ObjectNode definition = quietRoute(receiver.url("/new"));

        assertThat(call(eventsAdmin, "PUT", "routes/" + name, definition).statusCode()).isEqualTo(403);
        assertThat(call(eventsAdmin, "POST", "routes/" + existing + "/test", null).statusCode()).isEqualTo(403);
        assertThat(call(eventsAdmin, "DELETE", "routes/" + existing, null).statusCode()).isEqualTo(403);
        assertThat(receiver.received()).as("nothing was sent for the events-only admin").isEmpty();
        assertThat(routes.get("routes").findValuesAsText("name")).contains(existing).doesNotContain(name);

        // manage-events still reads and operates the routes an editor set up
        assertThat(call(eventsAdmin, "GET", "routes/" + existing, null).statusCode()).isEqualTo(200);
        assertThat(call(eventsAdmin, "POST", "routes/" + existing + "/pause", null).statusCode()).isEqualTo(200);
        assertThat(call(eventsAdmin, "POST", "routes/" + existing + "/resume", null).statusCode()).isEqualTo(200);

        assertThat(call(realmManager, "PUT", "routes/" + name, definition).statusCode()).isEqualTo(201);
        HttpResponse<String> test = call(realmManager, "POST", "routes/" + name + "/test", null);
        assertThat(test.statusCode()).isEqualTo(200);
        assertThat(Http.json(test.body()).path("delivered").asBoolean()).isTrue();
        assertThat(receiver.received()).hasSize(1);
        assertThat(call(realmManager, "DELETE", "routes/" + name, null).statusCode()).isEqualTo(204);
    }

    @Test
    void internalDestinationsAreRefusedAtSaveAndAtConnectTime() {
        for (String url : List.of("http://127.0.0.2:9000/metrics", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]:9000/metrics", "http://10.0.0.5/in", "http://[::ffff:127.0.0.2]:9000/")) {
            HttpResponse<String> refused = routes.put("it-sec-internal", quietRoute(URI.create(url)));
            assertThat(refused.statusCode()).as(url).isEqualTo(400);
            assertThat(Http.json(refused.body()).path("problems").toString()).as(url)
                    .contains("settings.url: destination refused").contains("allowed-destinations");
        }
        ObjectNode syslog = Http.JSON.createObjectNode().put("sink", "syslog");
        syslog.putObject("settings").put("host", "169.254.169.254").put("port", 514);
        HttpResponse<String> refusedSyslog = routes.put("it-sec-internal", syslog);
        assertThat(refusedSyslog.statusCode()).isEqualTo(400);
        assertThat(refusedSyslog.body()).contains("settings.host: destination refused").contains("link-local");

        // A URL from the vault is only known when the route opens: the connection itself is refused.
        WebhookReceiver internal = receiver(WebhookReceiver.startOn("127.0.0.2").answeringBody("internal secret"));
        String urlKey = secretKey + "-url";
        ExportRoutes.vault(urlKey, internal.url("/metrics").toString());
        String name = "it-sec-vaulturl-" + suffix();
        ObjectNode definition = quietRoute(URI.create("http://placeholder"));
        ((ObjectNode) definition.get("settings")).put("url", "${vault." + urlKey + "}");
        routes.create(name, definition);
        created.add(name);
        JsonNode report = routes.post("routes/" + name + "/test");
        assertThat(report.path("delivered").asBoolean()).isFalse();
        assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(report.path("detail").asText()).startsWith("destination refused: 127.0.0.2 is a loopback address");
        assertThat(internal.received()).as("no request reached the internal receiver").isEmpty();

        // A redirect is an answer, not a new destination: it is not followed.
        WebhookReceiver redirecting = receiver(WebhookReceiver.start().redirectingTo(internal.url("/metrics")));
        String redirected = route("it-sec-redirect", redirecting.url("/in"));
        JsonNode redirectReport = routes.post("routes/" + redirected + "/test");
        assertThat(redirectReport.path("detail").asText()).isEqualTo("HTTP 307 Temporary Redirect");
        assertThat(redirectReport.path("delivered").asBoolean()).isFalse();
        assertThat(internal.received()).as("the redirect was not followed").isEmpty();
    }

    @Test
    void testAnswersAndDeadEventsShowTheStatusNeverTheReceiversBody() {
        String canary = "ciam_leak_canary_total{token=\"" + UUID.randomUUID() + "\"} 42";
        WebhookReceiver leaky = receiver(WebhookReceiver.start().answeringBody(canary));
        ObjectNode definition = quietRoute(leaky.url("/in"));
        definition.putObject("events").putArray("admin").add("USER.CREATE");
        ((ObjectNode) definition.get("retry")).put("maxAttempts", 1);
        String name = "it-sec-leaky-" + suffix();
        routes.create(name, definition);
        created.add(name);

        JsonNode ok = routes.post("routes/" + name + "/test");
        assertThat(ok.path("detail").asText()).isEqualTo("HTTP 200 OK");
        leaky.answering(400);
        JsonNode rejected = routes.post("routes/" + name + "/test");
        assertThat(rejected.path("detail").asText()).isEqualTo("HTTP 400 Bad Request");
        assertThat(ok.toString() + rejected).doesNotContain("ciam_leak_canary");

        admin.createUser("acme", "leak-" + suffix() + "@acme.test", PASSWORD, true); // an admin event USER.CREATE
        routes.awaitBacklog(name, entry -> entry.path("dead").asLong() >= 1, WITHIN, "a dead event");
        JsonNode dead = routes.get("routes/" + name + "/dead");
        assertThat(dead.get(0).path("lastError").asText()).isEqualTo("HTTP 400 Bad Request");
        assertThat(dead.toString()).doesNotContain("ciam_leak_canary");
        assertThat(leaky.received()).as("the receiver did get the events").hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aRefusedConnectionAndATimeoutGiveTheSameAnswer() {
        String closed = route("it-sec-closed", URI.create("http://127.0.0.1:" + closedPort() + "/in"));
        WebhookReceiver hung = receiver(WebhookReceiver.start().hanging(Duration.ofSeconds(4)));
        String timeout = route("it-sec-hung", hung.url("/in"));

        JsonNode refused = routes.post("routes/" + closed + "/test");
        JsonNode timedOut = routes.post("routes/" + timeout + "/test");
        assertThat(refused.path("delivered").asBoolean()).isFalse();
        assertThat(timedOut.path("delivered").asBoolean()).isFalse();
        assertThat(refused.path("outcome").asText()).isEqualTo(timedOut.path("outcome").asText()).isEqualTo("RETRY");
        assertThat(refused.path("detail").asText()).isEqualTo(timedOut.path("detail").asText())
                .isEqualTo("no answer from the destination (no connection, or no answer within the timeouts)");
    }

    @Test
    void vaultKeysOutsideTheExportAndSecretsInClearAreRefused() {
        WebhookReceiver receiver = receiver(WebhookReceiver.start());
        String name = "it-sec-secrets-" + suffix();

        ObjectNode hec = Http.JSON.createObjectNode().put("sink", "splunk-hec");
        hec.putObject("settings").put("url", receiver.url("/").toString()).put("token", "${vault.smtp-password}");
        HttpResponse<String> foreignKey = routes.put(name, hec);
        assertThat(foreignKey.statusCode()).isEqualTo(400);
        assertThat(foreignKey.body()).contains("settings.token: routes may only read vault keys starting with 'export-'");

        ObjectNode clear = quietRoute(receiver.url("/in"));
        ((ObjectNode) clear.get("settings")).put("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        clear.putObject("pii").put("email", "hash").put("hashKey", "a-hash-key-in-clear");
        HttpResponse<String> inClear = routes.put(name, clear);
        assertThat(inClear.statusCode()).isEqualTo(400);
        assertThat(inClear.body()).contains("settings.secret must come from the vault")
                .contains("pii.hashKey must come from the vault").contains("${vault.export-<name>}")
                .doesNotContain("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(admin.get("/realms/acme").path("attributes").has("ciam.export.route." + name))
                .as("nothing was stored in the realm").isFalse();

        ExportRoutes.vault("export-" + name + "-token", "hec-token");
        ((ObjectNode) hec.get("settings")).put("token", "${vault.export-" + name + "-token}");
        assertThat(routes.put(name, hec).statusCode()).isEqualTo(201);
        created.add(name);
        assertThat(routes.post("routes/" + name + "/test").path("delivered").asBoolean()).isTrue();
        assertThat(receiver.received().get(0).header("authorization")).isEqualTo("Splunk hec-token");
    }

    /** Each route costs the dispatcher a round per tick: a realm has at most 25, a route replaced still saves. */
    @Test
    void aRealmHasAtMostTwentyFiveRoutes() {
        int existing = routes.get("routes").size();
        URI nowhere = URI.create("http://127.0.0.1:1/in");
        String last = null;
        for (int i = existing; i < 25; i++) {
            last = route("it-sec-cap", nowhere);
        }
        HttpResponse<String> oneMore = routes.put("it-sec-cap-over-" + suffix(), quietRoute(nowhere));
        assertThat(oneMore.statusCode()).isEqualTo(400);
        assertThat(oneMore.body()).contains("a realm has at most 25 export routes");
        assertThat(routes.put(last, quietRoute(nowhere)).statusCode()).as("a route replaced").isEqualTo(200);
        assertThat(routes.get("routes").size()).isEqualTo(25);
    }

    /** Admins (or one script) creating routes at once: the cap holds, and every route saved is one of theirs. */
    @Test
    void routesCreatedAtOnceDoNotPassTheCapNorCreateOneNameTwice() throws Exception {
        String realm = "routes-" + suffix();
        assertThat(admin.send("POST", "/realms", Http.JSON.createObjectNode().put("realm", realm).put("enabled", true))
                .statusCode()).isEqualTo(201);
        Path secret = LocalKeycloak.vault().resolve(realm + "_" + secretKey);
        Files.writeString(secret, "whsec_" + "A".repeat(44));
        ExportRoutes inRealm = new ExportRoutes(server, admin, realm);
        java.util.concurrent.ExecutorService admins = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            URI nowhere = URI.create("http://127.0.0.1:1/in");
            for (int i = 0; i < 21; i++) {
                inRealm.create("first-" + i, quietRoute(nowhere));
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                names.add("at-once-" + i);
            }
            assertThat(atOnce(admins, names, name -> inRealm.put(name, quietRoute(nowhere))))
                    .as("four fit under the cap, the others are refused")
                    .containsOnly(201, 400).filteredOn(status -> status == 201).hasSize(4);
            assertThat(inRealm.get("routes").size()).isEqualTo(25);
            assertThat(storedRoutes(realm)).as("no route stored beyond the list").hasSize(25);

            // One place left, and six admins saving the same new route at once: one creates it, five replace it.
            inRealm.remove("first-0");
            assertThat(atOnce(admins, java.util.Collections.nCopies(6, "twin"),
                    name -> inRealm.put(name, quietRoute(nowhere))))
                    .as("the first creates it (201); the others find it stored and replace it (200), none refused")
                    .containsExactlyInAnyOrder(201, 200, 200, 200, 200, 200);
            assertThat(storedRoutes(realm)).hasSize(25).contains("ciam.export.route.twin");

            // Two more written around the API (a realm update): the dispatcher opens the first 25 by name only.
            JsonNode representation = admin.get("/realms/" + realm);
            ((ObjectNode) representation).withObject("/attributes")
                    .put("ciam.export.route.aa-around", quietRoute(nowhere).toString())
                    .put("ciam.export.route.zz-around", quietRoute(nowhere).toString());
            assertThat(admin.send("PUT", "/realms/" + realm, representation).statusCode()).isEqualTo(204);
            Pattern first = Pattern.compile("^ciam_export_backlog\\{[^}]*route=\"aa-around\"", Pattern.MULTILINE);
            awaitMetrics(metrics -> first.matcher(metrics).find(), "the first route by name opened");
            Pause.millis(3_000); // ticks and gauge updates after it
            assertThat(server.metrics()).as("the 27th route by name is not opened").doesNotContain("zz-around");
        } finally {
            admins.shutdownNow();
            admin.send("DELETE", "/realms/" + realm, null);
            Files.deleteIfExists(secret);
        }
    }

    /** Each call made by its own thread, all let go together; their status codes. */
    private static List<Integer> atOnce(java.util.concurrent.ExecutorService threads, List<String> names,
            java.util.function.Function<String, HttpResponse<String>> call) throws Exception {
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(names.size());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (String name : names) {
            calls.add(threads.submit(() -> {
                ready.countDown();
                go.await();
                return call.apply(name);
            }));
        }
        assertThat(ready.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (var done : calls) {
            statuses.add(done.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        }
        return statuses;
    }

    private List<String> storedRoutes(String realm) {
        List<String> stored = new ArrayList<>();
        admin.get("/realms/" + realm).path("attributes").fieldNames().forEachRemaining(attribute -> {
            if (attribute.startsWith("ciam.export.route.")) {
                stored.add(attribute);
            }
        });
        return stored;
    }

    @Test
    void routeBodiesAndReplaysAreCapped() {
        ObjectNode huge = quietRoute(URI.create("http://127.0.0.1:1/in"));
        ((ObjectNode) huge.get("settings")).put("padding", "x".repeat(70 * 1024));
        HttpResponse<String> tooLarge = routes.put("it-sec-huge", huge);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(Http.json(tooLarge.body()).path("error").asText())
                .isEqualTo("the body is larger than 64 KB");

        WebhookReceiver receiver = receiver(WebhookReceiver.start());
        String name = "it-sec-replay-" + suffix();
        ObjectNode replayed = quietRoute(receiver.url("/in"));
        replayed.putObject("events").putArray("admin").add("USER.ACTION");
        routes.create(name, replayed);
        created.add(name);
        HttpResponse<String> tooLong = replay(name, Instant.now().minus(40, ChronoUnit.DAYS), Instant.now());
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("a replay covers at most 31 days");

        // The suite's server takes at most 200 events per replay (max-replay-events).
        String userId = admin.createUser("acme", "replay-" + suffix() + "@acme.test", PASSWORD, true);
        Instant start = Instant.now().minusMillis(1);
        for (int i = 0; i < 5; i++) {
            logOut(userId);
        }
        Pause.millis(20);
        Instant fewDone = Instant.now();
        Pause.millis(20);
        for (int i = 0; i < 200; i++) {
            logOut(userId);
        }
        // all delivered first, so that a replay of the five queues exactly those five again
        routes.awaitBacklog(name, entry -> entry.path("pending").asLong() == 0 && entry.path("state").path("delivered").asLong() >= 205,
                WITHIN, "the 205 admin actions delivered");
        HttpResponse<String> many = replay(name, start, Instant.now().plusMillis(1));
        assertThat(many.statusCode()).isEqualTo(413);
        assertThat(Http.json(many.body()).path("error").asText())
                .matches("the range holds \\d+ events; one replay takes at most 200: replay shorter ranges one after the other");
        HttpResponse<String> few = replay(name, start, fewDone);
        assertThat(few.statusCode()).as(few.body()).isEqualTo(200);
        assertThat(Http.json(few.body()).path("queued").asInt()).as("the five admin actions").isEqualTo(5);
    }

    @Test
    void crossRealmRoutesAreOffUnlessTheOperatorTurnsThemOn() throws IOException {
        ExportRoutes master = new ExportRoutes(server, admin, "master");
        Files.writeString(LocalKeycloak.vault().resolve("master_" + secretKey), ExportRoutes.vaultSecret(secretKey + "-m"));
        WebhookReceiver receiver = receiver(WebhookReceiver.start());
        String name = "it-sec-master-" + suffix();
        ObjectNode definition = quietRoute(receiver.url("/master"));
        definition.putArray("realms").add("acme");

        HttpResponse<String> refused = master.put(name, definition);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("routes that take other realms' events are turned off on this server")
                .contains("cross-realm-routes=true");
        assertThat(routes.put(name, definition).body()).contains("only routes of the master realm");

        definition.remove("realms");
        assertThat(master.put(name, definition).statusCode()).as("master's own events are fine").isEqualTo(201);
        try {
            assertThat(master.post("routes/" + name + "/test").path("delivered").asBoolean()).isTrue();
        } finally {
            master.remove(name);
        }
    }

    @Test
    void aCrossRealmRouteWrittenAroundTheApiTakesNothingWhileTheOptionIsOff() {
        WebhookReceiver masterReceiver = receiver(WebhookReceiver.start());
        WebhookReceiver acmeReceiver = receiver(WebhookReceiver.start());
        String name = "it-sec-around-" + suffix();
        ObjectNode crossRealm = quietRoute(masterReceiver.url("/master"));
        crossRealm.putObject("events").putArray("admin").add("USER.CREATE");
        crossRealm.putArray("realms").add("acme");
        // as realm-as-code or a realm update would write it, past the route API's checks
        JsonNode realm = admin.get("/realms/master");
        ((ObjectNode) realm).withObject("/attributes").put("ciam.export.route." + name, crossRealm.toString());
        assertThat(admin.send("PUT", "/realms/master", realm).statusCode()).isEqualTo(204);
        ExportRoutes master = new ExportRoutes(server, admin, "master");
        try {
            Pattern gauge = Pattern.compile("^ciam_export_backlog\\{[^}]*route=\"" + Pattern.quote(name) + "\"",
                    Pattern.MULTILINE);
            awaitMetrics(metrics -> gauge.matcher(metrics).find(), "the master route loaded by the dispatcher");

            ObjectNode own = quietRoute(acmeReceiver.url("/acme"));
            own.putObject("events").putArray("admin").add("USER.CREATE");
            String acmeRoute = "it-sec-own-" + suffix();
            routes.create(acmeRoute, own);
            created.add(acmeRoute);
            String userId = admin.createUser("acme", "around-" + suffix() + "@acme.test", PASSWORD, true);
            acmeReceiver.await(event -> event.toString().contains(userId), WITHIN, "acme's USER.CREATE on acme's route");

            // one fan-out hands an event to every route that takes it: the master route got no delivery row
            JsonNode backlog = master.backlogOf(name);
            assertThat(backlog.path("pending").asLong() + backlog.path("state").path("delivered").asLong()
                    + backlog.path("dead").asLong()).as(backlog.toString()).isZero();
            assertThat(masterReceiver.received()).isEmpty();
        } finally {
            master.remove(name);
        }
    }

    @Test
    void aRemovedRouteLeavesNoGaugeBehind() {
        WebhookReceiver receiver = receiver(WebhookReceiver.start());
        String name = route("it-sec-gauge", receiver.url("/in"));
        Pattern gauge = Pattern.compile("^ciam_export_(backlog|oldest_pending_seconds|dead_events)\\{[^}]*route=\""
                + Pattern.quote(name) + "\"", Pattern.MULTILINE);
        awaitMetrics(metrics -> gauge.matcher(metrics).find(), "the route's gauges");
        routes.remove(name);
        created.remove(name);
        awaitMetrics(metrics -> !gauge.matcher(metrics).find(), "the removed route's gauges gone");
    }

    // --- helpers ---

    private String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private WebhookReceiver receiver(WebhookReceiver receiver) {
        receivers.add(receiver);
        return receiver;
    }

    /** A webhook route that takes no real events (only test deliveries), with short timeouts. */
    private ObjectNode quietRoute(URI url) {
        ObjectNode definition = ExportRoutes.webhookRoute(url, secretKey);
        definition.putObject("events").putArray("user").add("DELETE_ACCOUNT");
        return definition;
    }

    private String route(String prefix, URI url) {
        String name = prefix + "-" + suffix();
        routes.create(name, quietRoute(url));
        created.add(name);
        return name;
    }

    /** A user of the acme realm with these realm-management roles, signed in; returns their access token. */
    private String realmAdmin(String... roles) {
        String email = "export-admin-" + suffix() + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        for (String role : roles) {
            admin.grantClientRole("acme", userId, "realm-management", role);
        }
        OidcCodeFlow flow = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        Attempt attempt = Attempt.fresh();
        return flow.tokens(flow.signIn(attempt, email, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText();
    }

    private HttpResponse<String> call(String token, String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(routes.url(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        return Http.send(request.build());
    }

    private HttpResponse<String> replay(String route, Instant from, Instant to) {
        return admin.sendAsAdmin("POST", routes.url("routes/" + route + "/replay?from=" + from + "&to=" + to), null);
    }

    /** An admin action on the user (its sessions ended): one admin event USER.ACTION each time. */
    private void logOut(String userId) {
        HttpResponse<String> response = admin.send("POST", "/realms/acme/users/" + userId + "/logout", null);
        assertThat(response.statusCode()).isEqualTo(204);
    }

    private void awaitMetrics(java.util.function.Predicate<String> condition, String what) {
        Instant until = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(until)) {
            if (condition.test(server.metrics())) {
                return;
            }
            Pause.millis(500);
        }
        throw new AssertionError(what + " not seen on /metrics within " + WITHIN.toSeconds() + " s");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // free again once closed: nothing listens there
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
