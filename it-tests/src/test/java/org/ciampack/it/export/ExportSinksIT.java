package org.ciampack.it.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The other sinks and formats against real receivers: CRM contact upserts and deletes with a field mapping, Splunk
 * HEC batches with its token, OCSF records, and a back-fill of a new route from a past time range.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class ExportSinksIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    private ServerUnderTest server;
    private AdminApi admin;
    private ExportRoutes routes;
    private WebhookReceiver receiver;
    private String route;
    private String secretKey;

    @BeforeEach
    void setUp(ServerUnderTest server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        routes = new ExportRoutes(server, admin);
        receiver = WebhookReceiver.start();
        route = "it-sink-" + UUID.randomUUID().toString().substring(0, 8);
        secretKey = "export-" + route + "-secret";
        ExportRoutes.vaultSecret(secretKey);
    }

    @AfterEach
    void tearDown() {
        routes.remove(route);
        receiver.close();
    }

    @Test
    void aCrmGetsContactUpsertsWithItsFieldNamesAndADeleteWhenTheAccountGoes() {
        ObjectNode definition = ExportRoutes.webhookRoute(receiver.url("/crm"), secretKey);
        definition.put("sink", "crm");
        ObjectNode mapping = ((ObjectNode) definition.get("settings")).putObject("mapping");
        mapping.put("email", "Email");
        mapping.put("firstName", "FirstName");
        mapping.put("attributes.phone", "Phone");
        mapping.put("roles", "Roles");
        routes.create(route, definition);

        String email = "crm-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        ObjectNode change = Http.JSON.createObjectNode().put("firstName", "Grace").put("lastName", "Hopper")
                .put("email", email);
        change.putObject("attributes").putArray("phone").add("+49 30 1234567");
        assertThat(admin.send("PUT", "/realms/acme/users/" + userId, change).statusCode()).isEqualTo(204);
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).signIn(Attempt.fresh(), email, PASSWORD);
        assertThat(admin.send("DELETE", "/realms/acme/users/" + userId, null).statusCode()).isEqualTo(204);

        JsonNode upsert = receiver.await(event -> "upsert".equals(event.path("operation").asText())
                && "Grace".equals(event.path("contact").path("FirstName").asText()), ARRIVAL, "contact upsert");
        assertThat(upsert.path("contact").path("external_id").asText()).isEqualTo(userId);
        assertThat(upsert.path("contact").path("Email").asText()).isEqualTo(email);
        assertThat(upsert.path("contact").path("Phone").asText()).isEqualTo("+49 30 1234567");
        assertThat(upsert.path("contact").path("Roles").toString()).contains("default-roles-acme");
        assertThat(upsert.path("updated_at").asText()).isNotBlank();
        JsonNode deleted = receiver.await(event -> "delete".equals(event.path("operation").asText())
                && userId.equals(event.path("contact").path("external_id").asText()), ARRIVAL, "contact delete");
        assertThat(deleted.path("contact").has("Email")).as("a delete carries no profile").isFalse();
        assertThat(receiver.events()).as("a CRM gets no logins")
                .noneMatch(event -> event.path("event_type").asText().equals("LOGIN"));
    }

    @Test
    void splunkHecGetsBatchesWithItsTokenAndOcsfRecords() throws IOException {
        ExportRoutes.vault("export-" + route + "-token", "hec-token-" + route);
        ObjectNode definition = Http.JSON.createObjectNode();
        definition.put("sink", "splunk-hec");
        definition.put("format", "ocsf");
        definition.put("batchSize", 50);
        definition.putObject("events").putArray("user").add("LOGIN").add("LOGIN_ERROR");
        ObjectNode settings = definition.putObject("settings");
        settings.put("url", "http://127.0.0.1:" + receiver.port());
        settings.put("token", "${vault.export-" + route + "-token}");
        settings.put("index", "keycloak");
        routes.create(route, definition);

        String email = "hec-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).signIn(Attempt.fresh(), email, PASSWORD);
        for (int i = 0; i < 5; i++) {
            new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).submitLogin(Attempt.fresh(), email, "wrong-" + i);
        }

        List<JsonNode> ours = new ArrayList<>();
        Instant until = Instant.now().plus(ARRIVAL);
        while (ours.size() < 6 && Instant.now().isBefore(until)) {
            ours.clear();
            for (WebhookReceiver.Received request : receiver.received()) {
                assertThat(request.path()).isEqualTo("/services/collector/event");
                assertThat(request.header("authorization")).isEqualTo("Splunk hec-token-" + route);
                try (MappingIterator<JsonNode> events = Http.JSON.readerFor(JsonNode.class).readValues(request.body())) {
                    events.forEachRemaining(event -> {
                        if (userId.equals(event.path("event").path("user").path("uid").asText())) {
                            ours.add(event);
                        }
                    });
                }
            }
            Pause.millis(200);
        }
        assertThat(ours).hasSize(6);
        assertThat(receiver.received().size()).as("batched: fewer requests than events").isLessThan(6);
        JsonNode failed = ours.get(5);
        assertThat(failed.path("index").asText()).isEqualTo("keycloak");
        assertThat(failed.path("sourcetype").asText()).isEqualTo("keycloak:ciam");
        assertThat(failed.path("time").asDouble()).isGreaterThan(1.7e9);
        JsonNode ocsf = failed.path("event");
        assertThat(ocsf.path("class_uid").asInt()).isEqualTo(3002);
        assertThat(ocsf.path("activity_id").asInt()).isEqualTo(1);
        assertThat(ocsf.path("type_uid").asLong()).isEqualTo(300201);
        assertThat(ocsf.path("status").asText()).isEqualTo("Failure");
        assertThat(ocsf.path("metadata").path("version").asText()).isEqualTo("1.1.0");
        assertThat(ours.get(0).path("event").path("status").asText()).as("in order: the login came first").isEqualTo("Success");
    }

    @Test
    void aNewRouteIsBackFilledFromAPastTimeRange() {
        String email = "backfill-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        Instant before = Instant.now().minusSeconds(1);
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).signIn(Attempt.fresh(), email, PASSWORD);
        Pause.millis(1500);

        ObjectNode definition = ExportRoutes.webhookRoute(receiver.url("/siem"), secretKey);
        definition.putObject("events").putArray("user").add("LOGIN");
        routes.create(route, definition);
        Pause.millis(2000);
        assertThat(receiver.events()).as("a new route starts with new events only")
                .noneMatch(event -> userId.equals(event.path("data").path("userId").asText()));

        JsonNode queued = routes.post("routes/" + route + "/replay?from=" + before + "&to=" + Instant.now());
        assertThat(queued.path("queued").asInt()).isGreaterThanOrEqualTo(1);
        receiver.await(event -> userId.equals(event.path("data").path("userId").asText())
                && event.path("type").asText().endsWith("user.LOGIN"), ARRIVAL, "the past login");
        assertThat(admin.sendAsAdmin("POST", routes.url("routes/" + route + "/replay?from=yesterday"), null).statusCode())
                .isEqualTo(400);
    }

    /**
     * A replay sends what the realm keeps: the event types its event store saves (Keycloak's defaults in acme), and
     * whatever a route took at the time. A token refresh that a route takes is kept; a userinfo call that no route
     * takes is not (Keycloak does not save it either), so it costs neither an outbox row nor a user read.
     */
    @Test
    void aReplaySendsWhatTheRealmSavesAndWhatARouteTookButNotUnroutedNoise() {
        String email = "kept-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        routes.create(route, userRoute("/taking", "LOGIN", "REFRESH_TOKEN"));
        Instant before = Instant.now().minusSeconds(1);
        JsonNode tokens = tokensOf(email);
        // Delivered: this node has the new route open, so the events below are routed as they are written.
        receiver.await(event -> ofUser(event, userId, "LOGIN"), ARRIVAL, "the login at the taking route");

        HttpResponse<String> refreshed = refresh(tokens);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        HttpResponse<String> userInfo = userInfo(Http.json(refreshed.body()));
        assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(200);
        receiver.await(event -> ofUser(event, userId, "REFRESH_TOKEN"), ARRIVAL, "the refresh at the taking route");

        assertThat(replayedTypes(userId, before, List.of("LOGIN", "CODE_TO_TOKEN", "REFRESH_TOKEN")))
                .as("the customer's events a replay sends").contains("LOGIN", "CODE_TO_TOKEN", "REFRESH_TOKEN")
                .doesNotContain("USER_INFO_REQUEST");
    }

    /**
     * A route switched off for a while still wants the types it names: their events are kept, and once the route is
     * on again a replay sends the gap. Here a userinfo call, which Keycloak does not save and no other route takes.
     */
    @Test
    void aRouteSwitchedOffKeepsTheEventsItNamesForAReplayOfTheGap() {
        String email = "paused-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        ObjectNode definition = userRoute("/off", "USER_INFO_REQUEST");
        definition.put("enabled", false);
        routes.create(route, definition);
        JsonNode tokens = tokensOf(email);
        // Whether the node has read the new route by now (every second) or not: the event is kept either way, by the
        // listener or by the dispatcher's fan-out.
        Pause.millis(2000);
        Instant before = Instant.now().minusSeconds(1);
        HttpResponse<String> userInfo = userInfo(tokens);
        assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(200);
        Instant after = Instant.now().plusSeconds(1);

        definition.put("enabled", true);
        routes.create(route, definition);
        routes.post("routes/" + route + "/replay?from=" + before + "&to=" + after);
        receiver.await(event -> ofUser(event, userId, "USER_INFO_REQUEST"), ARRIVAL, "the userinfo call, replayed");
    }

    /**
     * Events written right after a route is saved, before this node has read it (it does every second), are handed
     * out by the dispatcher's fan-out, which applies the same rule: the new route gets the userinfo call it names, and
     * the token refresh that no route wants is not kept for a replay. (Most often the two calls land in that second;
     * when they do not, the request writes them by the same rule, and the assertions hold either way.)
     */
    @Test
    void eventsWrittenBeforeTheNodeReadsANewRouteAreHandedOutByTheSameRule() {
        Customer customer = signedInCustomer("unread-");
        Instant before = Instant.now().minusSeconds(1);
        routes.create(route, userRoute("/new", "USER_INFO_REQUEST"));
        HttpResponse<String> userInfo = userInfo(customer.tokens());
        HttpResponse<String> refreshed = refresh(customer.tokens());
        long unrouted = routes.get("backlog").path("notYetRouted").asLong();
        System.out.println("[ciam-it] events written before the node read the new route: " + unrouted);
        assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(200);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        receiver.await(event -> ofUser(event, customer.id(), "USER_INFO_REQUEST"), ARRIVAL,
                "the userinfo call at the new route");
        awaitAllRouted();

        assertThat(replayedTypes(customer.id(), before, List.of("USER_INFO_REQUEST")))
                .as("the customer's events a replay sends").contains("USER_INFO_REQUEST")
                .doesNotContain("REFRESH_TOKEN");
    }

    /**
     * A replay right after its route is saved takes only the events already handed out; the dispatcher's fan-out gives
     * the route the others. Each event arrives once, and the fan-out goes on. (Before, the replay queued deliveries for
     * events not yet handed out too: the fan-out's own delivery of one then broke the unique key and failed its whole
     * batch, tick after tick, until the replayed delivery was gone, and the event came twice.)
     */
    @Test
    void aReplayRightAfterItsRouteIsSavedSendsEachEventOnce() {
        Customer customer = signedInCustomer("once-");
        Instant before = Instant.now().minusSeconds(1);
        routes.create(route, userRoute("/once", "USER_INFO_REQUEST"));
        for (int call = 0; call < 2; call++) {
            HttpResponse<String> userInfo = userInfo(customer.tokens());
            assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(200);
        }
        routes.post("routes/" + route + "/replay?from=" + before + "&to=" + Instant.now().plusSeconds(1));

        Instant until = Instant.now().plus(ARRIVAL);
        while (idsAt("/once", customer.id(), "USER_INFO_REQUEST").distinct().count() < 2
                && Instant.now().isBefore(until)) {
            Pause.millis(200);
        }
        awaitAllRouted();
        routes.awaitDrained(route, ARRIVAL);
        List<String> ids = idsAt("/once", customer.id(), "USER_INFO_REQUEST").toList();
        assertThat(ids).as("the two userinfo calls, each once").hasSize(2).doesNotHaveDuplicates();
    }

    private Stream<String> idsAt(String path, String userId, String type) {
        return receiver.received().stream().filter(delivery -> delivery.path().endsWith(path))
                .map(WebhookReceiver.Received::json).filter(event -> ofUser(event, userId, type))
                .map(event -> event.path("id").asText());
    }

    /** A new customer of acme, signed in from acme-web: their id and tokens. */
    private record Customer(String id, JsonNode tokens) {
    }

    private Customer signedInCustomer(String prefix) {
        String email = prefix + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        return new Customer(userId, tokensOf(email));
    }

    /** A webhook route to the receiver's {@code path} taking the user events named. */
    private ObjectNode userRoute(String path, String... types) {
        ObjectNode definition = ExportRoutes.webhookRoute(receiver.url(path), secretKey);
        ArrayNode list = definition.putObject("events").putArray("user");
        for (String type : types) {
            list.add(type);
        }
        return definition;
    }

    private JsonNode tokensOf(String email) {
        OidcCodeFlow web = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        Attempt attempt = Attempt.fresh();
        return web.tokens(web.signIn(attempt, email, PASSWORD).code(), attempt.codeVerifier());
    }

    private HttpResponse<String> refresh(JsonNode tokens) {
        return Http.send(HttpRequest.newBuilder(URI.create(server.realmUrl("acme") + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(Map.of("grant_type", "refresh_token", "client_id", "acme-web",
                        "refresh_token", tokens.path("refresh_token").asText())))
                .build());
    }

    private HttpResponse<String> userInfo(JsonNode tokens) {
        return Http.send(HttpRequest.newBuilder(
                        URI.create(server.realmUrl("acme") + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + tokens.path("access_token").asText())
                .GET().build());
    }

    /**
     * The types of the customer's events that a replay from {@code from} until now sends to a new route taking every
     * user event, once those {@code awaited} have arrived and the route is drained.
     */
    private List<String> replayedTypes(String userId, Instant from, List<String> awaited) {
        String everything = route + "-all";
        awaitAllRouted(); // a replay takes the events already handed out
        routes.create(everything, userRoute("/all", "*"));
        try {
            routes.post("routes/" + everything + "/replay?from=" + from + "&to=" + Instant.now().plusSeconds(1));
            for (String type : awaited) {
                receiver.await(event -> ofUser(event, userId, type) && replayedAt(event, "/all"), ARRIVAL,
                        "replayed " + type);
            }
            routes.awaitDrained(everything, ARRIVAL);
            return receiver.received().stream().filter(delivery -> delivery.path().endsWith("/all"))
                    .map(WebhookReceiver.Received::json)
                    .filter(event -> userId.equals(event.path("data").path("userId").asText()))
                    .map(event -> event.path("data").path("type").asText()).toList();
        } finally {
            routes.remove(everything);
        }
    }

    /** Waits until the dispatcher has handed out (or let go of) every event written without its routes. */
    private void awaitAllRouted() {
        Instant until = Instant.now().plus(ARRIVAL);
        while (routes.get("backlog").path("notYetRouted").asLong() > 0 && Instant.now().isBefore(until)) {
            Pause.millis(200);
        }
        assertThat(routes.get("backlog").path("notYetRouted").asLong()).as("events not yet routed").isZero();
    }

    private static boolean ofUser(JsonNode event, String userId, String type) {
        return userId.equals(event.path("data").path("userId").asText())
                && type.equals(event.path("data").path("type").asText());
    }

    private boolean replayedAt(JsonNode event, String path) {
        String id = event.path("id").asText();
        return receiver.received().stream()
                .anyMatch(delivery -> delivery.path().endsWith(path) && delivery.body().contains(id));
    }
}
