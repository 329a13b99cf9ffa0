package org.ciampack.it.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.PrometheusText;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Events reach a real HTTP receiver as signed CloudEvents: a login, a failed login, a registration, a profile
 * update and an admin change, each checked by the reference Standard Webhooks implementation; a PII route sends
 * only keyed hashes of e-mail and IP; the route API is for event admins only.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class ExportWebhookIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    private ServerUnderTest server;
    private AdminApi admin;
    private ExportRoutes routes;
    private WebhookReceiver receiver;
    private String route;
    private String secretKey;
    private String secret;

    @BeforeEach
    void routeToAReceiver(ServerUnderTest server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        routes = new ExportRoutes(server, admin);
        receiver = WebhookReceiver.start();
        route = "it-webhook-" + UUID.randomUUID().toString().substring(0, 8);
        secretKey = "export-" + route + "-secret";
        secret = ExportRoutes.vaultSecret(secretKey);
        ObjectNode definition = ExportRoutes.webhookRoute(receiver.url("/events"), secretKey);
        ObjectNode events = definition.putObject("events");
        events.putArray("user").add("LOGIN").add("LOGIN_ERROR").add("REGISTER").add("UPDATE_PROFILE");
        events.putArray("admin").add("USER.*");
        routes.create(route, definition);
    }

    @AfterEach
    void removeRoute() {
        routes.remove(route);
        receiver.close();
    }

    @Test
    void loginFailedLoginRegistrationProfileUpdateAndAdminChangeArriveSignedAsCloudEvents() {
        String email = "export-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);

        OidcCodeFlow web = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        web.signIn(Attempt.fresh(), email, PASSWORD);
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).submitLogin(Attempt.fresh(), email, "wrong-password");

        String newcomer = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        OidcCodeFlow registering = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        HttpResponse<String> form = registering.send("GET", URI.create(registering.authorizationUrl(Attempt.fresh())
                .toString().replace("/openid-connect/auth?", "/openid-connect/registrations?")), Map.of());
        assertThat(OidcCodeFlow.hasForm(form, "kc-register-form")).as("registration page").isTrue();
        registering.submitForm(form, "kc-register-form", Map.of("email", newcomer, "consent.terms", "on",
                "consent.privacy", "on", "consentShown", OidcCodeFlow.hiddenField(form, "consentShown")));

        String group = "it-export-" + UUID.randomUUID().toString().substring(0, 8);
        String gold = subgroup(group, "gold");
        assertThat(admin.send("PUT", "/realms/acme/users/" + userId + "/groups/" + gold, null).statusCode()).isEqualTo(204);
        admin.requireActions("acme", userId, "UPDATE_PROFILE");
        OidcCodeFlow updating = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        HttpResponse<String> profilePage = updating.follow(updating.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(profilePage, "kc-update-profile-form")).as("update profile page").isTrue();
        updating.submitForm(profilePage, "kc-update-profile-form",
                Map.of("email", email, "firstName", "Ada", "lastName", "Lovelace"));

        JsonNode created = receiver.await(event -> isType(event, "admin.USER.CREATE")
                && userId.equals(event.path("data").path("targetUser").path("id").asText()), ARRIVAL, "USER.CREATE");
        JsonNode login = receiver.await(event -> isType(event, "user.LOGIN") && forUser(event, userId), ARRIVAL, "LOGIN");
        JsonNode failed = receiver.await(event -> isType(event, "user.LOGIN_ERROR") && forUser(event, userId), ARRIVAL,
                "LOGIN_ERROR");
        JsonNode registered = receiver.await(event -> isType(event, "user.REGISTER")
                && newcomer.equals(event.path("data").path("user").path("email").asText()), ARRIVAL, "REGISTER");
        JsonNode changed = receiver.await(event -> isType(event, "admin.USER.UPDATE")
                && userId.equals(event.path("data").path("targetUser").path("id").asText()), ARRIVAL, "USER.UPDATE");
        JsonNode profile = receiver.await(event -> isType(event, "user.UPDATE_PROFILE") && forUser(event, userId),
                ARRIVAL, "UPDATE_PROFILE");

        for (JsonNode event : List.of(created, login, failed, registered, changed, profile)) {
            assertThat(event.path("specversion").asText()).isEqualTo("1.0");
            assertThat(event.path("source").asText()).isEqualTo("/realms/acme");
            assertThat(event.path("id").asText()).isNotBlank();
            assertThat(event.path("time").asText()).isNotBlank();
            assertThat(event.path("data").path("updated_at").asText()).isNotBlank();
        }
        assertThat(failed.path("data").path("error").asText()).isEqualTo("invalid_user_credentials");
        assertThat(login.path("data").path("user").path("email").asText()).isEqualTo(email);
        assertThat(profile.path("data").path("user").path("firstName").asText()).isEqualTo("Ada");
        // The profile as the update left it (the user changed in that request): roles and the group's whole path.
        assertThat(profile.path("data").path("user").path("groups").toString()).isEqualTo("[\"/" + group + "/gold\"]");
        assertThat(profile.path("data").path("user").path("roles").toString()).contains("\"default-roles-acme\"");
        assertThat(registered.path("data").path("user").path("groups").toString()).isEqualTo("[]");
        assertThat(registered.path("data").path("user").path("roles").toString()).contains("\"default-roles-acme\"");
        assertThat(changed.path("data").path("auth").path("realmName").asText()).isEqualTo("master");

        List<WebhookReceiver.Received> deliveries = receiver.received();
        for (WebhookReceiver.Received delivery : deliveries) {
            assertThat(delivery.header("webhook-id")).isEqualTo(delivery.json().path("id").asText());
            assertThat(delivery.header("content-type")).isEqualTo("application/json");
        }
        assertThat(StandardWebhooksVerifier.verify(deliveries, secret)).as("verdicts of npm standardwebhooks")
                .hasSize(deliveries.size()).containsOnly("ok");
        WebhookReceiver.Received forged = new WebhookReceiver.Received(deliveries.get(0).at(), deliveries.get(0).path(),
                deliveries.get(0).headers(), deliveries.get(0).body().replace("acme", "evil"));
        assertThat(StandardWebhooksVerifier.verify(List.of(forged), secret)).as("a changed body fails").doesNotContain("ok");
        assertThat(StandardWebhooksVerifier.verify(deliveries.subList(0, 1), ExportRoutes.vaultSecret(secretKey + "-other")))
                .as("another secret fails").doesNotContain("ok");
    }

    /** Creates a top-level group with one child; returns the child's id. */
    private String subgroup(String parent, String child) {
        HttpResponse<String> created = admin.send("POST", "/realms/acme/groups",
                Http.JSON.createObjectNode().put("name", parent));
        assertThat(created.statusCode()).isEqualTo(201);
        String parentId = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        HttpResponse<String> sub = admin.send("POST", "/realms/acme/groups/" + parentId + "/children",
                Http.JSON.createObjectNode().put("name", child));
        assertThat(sub.statusCode()).isEqualTo(201);
        return sub.headers().firstValue("Location").map(location -> location.replaceAll(".*/", ""))
                .orElseGet(() -> Http.json(sub.body()).path("id").asText());
    }

    /**
     * A node whose routes are current writes an event's deliveries in the transaction that writes the event: right
     * after the failed login answers, its delivery is in the (paused) route's backlog and nothing waits to be routed.
     * (Before, the dispatcher read and marked every event on its next tick, up to a second later.) Once delivered,
     * the row is gone and the route's state counts the delivery.
     */
    @Test
    void anEventsDeliveryIsWrittenWithTheEventAndGoesOnceDelivered() {
        Instant started = Instant.now();
        // Events written while the previous test changed routes are routed by the ticker, to this new route too.
        long earlier = routes.awaitDrained(route, ARRIVAL).path("state").path("delivered").asLong();
        routes.post("routes/" + route + "/pause"); // nothing is sent: the backlog shows what was written
        String email = "routed-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        // The node's dispatcher learns of the new route on its next tick; until then its events are routed there.
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).submitLogin(Attempt.fresh(), email, "wrong-password");
        long before = routes.awaitBacklog(route, entry -> entry.path("pending").asLong() == 1, ARRIVAL,
                "the first failed login routed").path("pending").asLong();

        for (int attempt = 1; attempt <= 3; attempt++) {
            new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).submitLogin(Attempt.fresh(), email, "wrong-password");
            JsonNode backlog = routes.get("backlog");
            assertThat(routes.backlogOf(route).path("pending").asLong()).as("pending after failed login %d", attempt)
                    .isEqualTo(before + attempt);
            assertThat(backlog.path("notYetRouted").asLong()).as("events not yet routed").isZero();
        }

        // Delivered, an event's row is gone (keep-delivered-days is 0 by default) and the route's state counts it.
        routes.post("routes/" + route + "/resume");
        JsonNode drained = routes.awaitBacklog(route, entry -> entry.path("pending").asLong() == 0, ARRIVAL,
                "the paused backlog delivered");
        assertThat(drained.path("deliveredKept").asLong()).as("delivery rows kept").isZero();
        assertThat(drained.path("state").path("delivered").asLong()).as("delivered, as counted")
                .isEqualTo(earlier + before + 3);
        assertThat(Instant.parse(drained.path("state").path("lastDeliveredAt").asText())).isAfter(started);
        assertThat(receiver.events().stream().map(event -> event.path("id").asText()).distinct())
                .as("events at the receiver (a slow answer may bring one twice)").hasSize((int) (earlier + before + 3));
    }

    /**
     * The export's timers on the management port's {@code /metrics} are histograms: a cluster's p95 lag or send time
     * is one {@code histogram_quantile} over the nodes' summed buckets. A delivery to this route's webhook counts into
     * both, per sink.
     */
    @Test
    void aDeliveryCountsIntoTheSendAndLagHistogramsOfItsSink() {
        String before = server.metrics();
        String email = "timed-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).submitLogin(Attempt.fresh(), email, "wrong-password");
        receiver.await(event -> isType(event, "user.LOGIN_ERROR")
                && email.equals(event.path("data").path("details").path("username").asText()), ARRIVAL, "LOGIN_ERROR");

        assertHistogram(before, "ciam_export_delivery_seconds", 0.002, 30);
        assertHistogram(before, "ciam_export_lag_seconds", 0.02, 12 * 3600);
    }

    /** The timer's buckets once the delivery is counted (the route records it after the receiver has answered). */
    private void assertHistogram(String before, String timer, double firstAtMost, double lastAtLeast) {
        TreeMap<Double, Double> earlier = PrometheusText.buckets(before, timer, "sink=\"webhook\"");
        double countedBefore = earlier.isEmpty() ? 0 : earlier.lastEntry().getValue();
        Instant until = Instant.now().plus(ARRIVAL);
        TreeMap<Double, Double> counts = PrometheusText.buckets(server.metrics(), timer, "sink=\"webhook\"");
        while ((counts.isEmpty() || counts.lastEntry().getValue() <= countedBefore) && Instant.now().isBefore(until)) {
            Pause.millis(200);
            counts = PrometheusText.buckets(server.metrics(), timer, "sink=\"webhook\"");
        }
        assertThat(counts).as(timer + "{sink=webhook} buckets").isNotEmpty();
        assertThat(counts.firstKey()).as(timer + ": the first bucket").isLessThanOrEqualTo(firstAtMost);
        assertThat(counts.lowerKey(Double.POSITIVE_INFINITY)).as(timer + ": the last finite bucket")
                .isGreaterThanOrEqualTo(lastAtLeast);
        assertThat(counts.lastKey()).as(timer + ": +Inf last").isInfinite();
        assertThat(new ArrayList<>(counts.values())).as(timer + ": cumulative counts").isSorted();
        assertThat(counts.lastEntry().getValue() - countedBefore).as(timer + ": the delivery counted")
                .isGreaterThanOrEqualTo(1);
    }

    /** Longer than a 64 KB column: on H2 the outbox keeps it in the row (changeset ciam-events-11), whole. */
    @Test
    void aProfileEventOfEightyKilobytesIsExportedWhole() {
        LargeProfileExport.assertExportedWhole(server, admin);
    }

    @Test
    void aPiiRouteSendsKeyedHashesOfEmailAndIpAndNoRawEmail() throws Exception {
        String hashKey = "it-hash-key-" + UUID.randomUUID();
        ExportRoutes.vault("export-" + route + "-hash", hashKey);
        ObjectNode definition = ExportRoutes.webhookRoute(receiver.url("/siem"), secretKey);
        definition.putObject("events").putArray("user").add("LOGIN").add("LOGIN_ERROR");
        ObjectNode pii = definition.putObject("pii");
        pii.put("email", "hash");
        pii.put("ipAddress", "hash");
        pii.put("hashKey", "${vault.export-" + route + "-hash}");
        routes.create(route, definition);

        String email = "Pii-" + UUID.randomUUID().toString().substring(0, 8) + "@Acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        String address = "198.51.100.23";
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", address)
                .signIn(Attempt.fresh(), email, PASSWORD);
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", address)
                .submitLogin(Attempt.fresh(), email, "wrong-password");

        JsonNode login = receiver.await(event -> isType(event, "user.LOGIN") && forUser(event, userId), ARRIVAL, "LOGIN");
        receiver.await(event -> isType(event, "user.LOGIN_ERROR") && forUser(event, userId), ARRIVAL, "LOGIN_ERROR");

        String hashedEmail = hmac(hashKey, email.toLowerCase());
        String hashedAddress = hmac(hashKey, address);
        assertThat(login.path("data").path("user").path("email").asText()).isEqualTo(hashedEmail);
        assertThat(login.path("data").path("ipAddress").asText()).isEqualTo(hashedAddress);
        // Only this route's deliveries: the test's other route (all admin events, raw) posts to /events, and a route
        // of an earlier test may still deliver to a receiver that got its port.
        List<WebhookReceiver.Received> piiRoute = receiver.received().stream()
                .filter(delivery -> delivery.path().equals("/siem")).toList();
        assertThat(piiRoute).isNotEmpty();
        for (WebhookReceiver.Received delivery : piiRoute) {
            assertThat(delivery.body().toLowerCase()).as("raw e-mail anywhere in " + delivery.body())
                    .doesNotContain(email.toLowerCase()).doesNotContain("@acme.test");
            assertThat(delivery.body()).doesNotContain(address);
        }
        assertThat(piiRoute.toString()).contains(hashedEmail);
    }

    @Test
    void routeEndpointsAreForEventAdminsOnly() {
        String email = "viewer-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
        OidcCodeFlow web = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP);
        Attempt attempt = Attempt.fresh();
        String customer = web.tokens(web.signIn(attempt, email, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText();
        ObjectNode definition = ExportRoutes.webhookRoute(receiver.url("/x"), secretKey);

        assertThat(call("GET", "routes", customer, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "backlog", customer, null).statusCode()).isEqualTo(403);
        assertThat(call("PUT", "routes/stolen", customer, definition).statusCode()).isEqualTo(403);
        assertThat(call("DELETE", "routes/" + route, customer, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "routes/" + route + "/test", customer, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "routes/" + route + "/dead/replay", customer, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "routes", null, null).statusCode()).isEqualTo(401);
        assertThat(call("PUT", "routes/stolen", "not.a.token", definition).statusCode()).isEqualTo(401);
        assertThat(routes.get("routes").findValuesAsText("name")).contains(route).doesNotContain("stolen");
    }

    @Test
    void aRouteWithProblemsIsRefusedWithSentencesAndATestDeliveryReportsTheAnswer() {
        ObjectNode broken = Http.JSON.createObjectNode().put("sink", "webhook");
        broken.putObject("settings").put("url", "ftp://crm.example.com/in");
        broken.putObject("events").putArray("user").add("not a type");
        HttpResponse<String> refused = routes.put("it-broken", broken);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Http.json(refused.body()).path("problems").toString())
                .contains("settings.url: malformed url").contains("settings.secret is missing")
                .contains("'not a type' is not an event type");

        JsonNode report = routes.post("routes/" + route + "/test");
        assertThat(report.path("delivered").asBoolean()).isTrue();
        assertThat(report.path("detail").asText()).startsWith("HTTP 200");
        receiver.await(event -> event.path("id").asText().equals(report.path("eventId").asText()), ARRIVAL, "test event");

        receiver.answering(400);
        JsonNode rejected = routes.post("routes/" + route + "/test");
        assertThat(rejected.path("delivered").asBoolean()).isFalse();
        assertThat(rejected.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(rejected.path("detail").asText()).startsWith("HTTP 400");
        // Each test delivery is an admin action on the route, with its outcome, in the admin events.
        assertThat(admin.get("/realms/acme/admin-events?operationTypes=ACTION&resourcePath=ciam-export/routes/"
                + route + "/test")).extracting(event -> event.path("representation").asText())
                .anySatisfy(representation -> assertThat(representation).contains("DELIVERED"))
                .anySatisfy(representation -> assertThat(representation).contains("REJECTED"));
    }

    @Test
    void theDemoRealmShipsACrmRouteAndASiemRouteWithSecretsFromTheVault() {
        JsonNode crm = routes.get("routes/crm-webhook");
        assertThat(crm.path("sink").asText()).isEqualTo("crm");
        assertThat(crm.path("settings").path("secret").asText()).isEqualTo("${vault.export-webhook-secret}");
        JsonNode siem = routes.get("routes/siem-syslog");
        assertThat(siem.path("sink").asText()).isEqualTo("syslog");
        assertThat(siem.path("format").asText()).isEqualTo("cef");
        assertThat(siem.path("pii").path("email").asText()).isEqualTo("hash");
        assertThat(siem.path("state").path("paused").asBoolean()).isFalse();
    }

    private HttpResponse<String> call(String method, String path, String token, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(routes.url(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return Http.send(request.build());
    }

    static boolean isType(JsonNode event, String type) {
        return event.path("type").asText().equals("org.ciampack.keycloak." + type);
    }

    static boolean forUser(JsonNode event, String userId) {
        return userId.equals(event.path("data").path("userId").asText());
    }

    static String hmac(String key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    static Set<String> ids(List<JsonNode> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }
}
