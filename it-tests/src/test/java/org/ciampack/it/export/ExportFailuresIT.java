package org.ciampack.it.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * A sink that answers 500, one that never answers in time, one whose TLS certificate is not trusted and one whose
 * URL (from the vault) is malformed: the login goes through all the same; each delivery is retried, parked as dead
 * after the route's attempts, shown by the admin API and the metrics, and replayed once the sink is fixed. A route
 * that keeps failing pauses itself until an admin resumes it.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class ExportFailuresIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final Duration DEAD_WITHIN = Duration.ofSeconds(60);

    private ServerUnderTest server;
    private AdminApi admin;
    private ExportRoutes routes;
    private final List<String> created = new ArrayList<>();
    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private String secretKey;
    private String clientId;

    @BeforeEach
    void setUp(ServerUnderTest server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        routes = new ExportRoutes(server, admin);
        secretKey = "export-it-failures-" + UUID.randomUUID().toString().substring(0, 8);
        ExportRoutes.vaultSecret(secretKey);
        clientId = "acme-web";
    }

    @AfterEach
    void tearDown() {
        created.forEach(routes::remove);
        receivers.forEach(WebhookReceiver::close);
    }

    @Test
    void failingSinksRetryThenParkEventsAsDeadWhichAreReplayedOnceFixed() {
        WebhookReceiver failing = receiver(WebhookReceiver.start().answering(500));
        WebhookReceiver hung = receiver(WebhookReceiver.start().hanging(Duration.ofSeconds(3)));
        WebhookReceiver untrusted = receiver(WebhookReceiver.startUntrustedTls());
        WebhookReceiver later = receiver(WebhookReceiver.start());
        String urlKey = secretKey + "-url";
        ExportRoutes.vault(urlKey, "http://exa mple.com:99999/in");

        String status500 = route("it-500", failing.url("/in").toString());
        String timeout = route("it-timeout", hung.url("/in").toString());
        String tls = route("it-tls", untrusted.url("/in").toString());
        String malformed = route("it-malformed", "${vault." + urlKey + "}");

        String email = "failures-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        OidcCodeFlow.Callback callback = new OidcCodeFlow(server.realmUrl("acme"), clientId, APP)
                .signIn(Attempt.fresh(), email, PASSWORD);
        assertThat(callback.code()).as("the login itself is not touched by any sink").isNotBlank();

        String loginId = null;
        for (String[] expected : new String[][] {{status500, "HTTP 500"}, {timeout, "no answer from"},
                {tls, "TLS error"}, {malformed, "malformed url"}}) {
            String route = expected[0];
            routes.awaitBacklog(route, entry -> entry.path("dead").asLong() >= 1, DEAD_WITHIN, route + " has a dead event");
            JsonNode dead = routes.get("routes/" + route + "/dead");
            JsonNode ours = null;
            for (JsonNode entry : dead) {
                if (entry.path("lastError").asText().contains(expected[1])) {
                    ours = entry;
                }
            }
            assertThat(ours).as(route + " dead events " + dead).isNotNull();
            assertThat(ours.path("attempts").asInt()).as("tried up to the route's limit").isEqualTo(2);
            loginId = loginId != null ? loginId : ours.path("eventId").asText();
        }
        assertThat(metric("ciam_export_dead_total\\{.*route=\"" + status500 + "\".*}")).isGreaterThanOrEqualTo(1);
        assertThat(server.metrics()).contains("ciam_export_backlog{");

        failing.answering(200);
        JsonNode dead500 = routes.get("routes/" + status500 + "/dead");
        String oneId = dead500.get(0).path("eventId").asText();
        assertThat(routes.post("routes/" + status500 + "/dead/" + oneId + "/replay").path("replayed").asInt()).isEqualTo(1);
        failing.await(event -> event.path("id").asText().equals(oneId), DEAD_WITHIN, "the replayed event");

        ExportRoutes.vault(urlKey, later.url("/in").toString());
        assertThat(routes.post("routes/" + malformed + "/dead/replay").path("replayed").asInt()).isGreaterThanOrEqualTo(1);
        later.await(event -> userId.equals(event.path("data").path("userId").asText()), DEAD_WITHIN,
                "the login, once the vault holds a good URL");
        assertThat(admin.sendAsAdmin("POST", routes.url("routes/" + status500 + "/dead/no-such-event/replay"), null)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aRouteThatKeepsFailingPausesItselfUntilAnAdminResumesIt() {
        WebhookReceiver unavailable = receiver(WebhookReceiver.start().answering(503));
        ObjectNode definition = ExportRoutes.webhookRoute(unavailable.url("/in"), secretKey);
        definition.put("autoPauseAfterSeconds", 2);
        definition.putObject("events").putArray("user").add("LOGIN");
        String route = "it-pause-" + UUID.randomUUID().toString().substring(0, 6);
        routes.create(route, definition);
        created.add(route);

        String email = "pause-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).signIn(Attempt.fresh(), email, PASSWORD);

        JsonNode paused = routes.awaitBacklog(route, entry -> entry.path("state").path("paused").asBoolean(),
                DEAD_WITHIN, "paused automatically");
        assertThat(paused.path("state").path("pauseReason").asText()).contains("paused automatically").contains("HTTP 503");
        assertThat(paused.path("pending").asLong()).as("nothing is lost while paused").isGreaterThanOrEqualTo(1);

        unavailable.answering(200);
        assertThat(routes.post("routes/" + route + "/resume").path("state").path("paused").asBoolean()).isFalse();
        unavailable.await(event -> userId.equals(event.path("data").path("userId").asText()), DEAD_WITHIN,
                "the login after resume");
    }

    /**
     * A customer's later event waits while an earlier one is retried. Two customers' logins go in one round (the
     * route is paused while they happen): the receiver refuses Ann's once and takes Bob's, so the route goes on and
     * Ann's login waits five seconds for its retry. Ann's failed login right after is due at once, and reaches the
     * receiver only after her login.
     */
    @Test
    void aCustomersLaterEventWaitsWhileAnEarlierOneIsRetried() {
        String ann = customer("order-ann");
        String bob = customer("order-bob");
        WebhookReceiver receiver = receiver(WebhookReceiver.start().refusingOnce(ann));
        String route = loginRoute("it-order", receiver, 5);

        signInWhilePaused(route, List.of(ann, bob));
        receiver.await(event -> isOf(event, bob, "LOGIN"), DEAD_WITHIN, "Bob's login, in the round that refused Ann's");
        new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).submitLogin(Attempt.fresh(), username(ann), "wrong-password");

        receiver.await(event -> isOf(event, ann, "LOGIN_ERROR"), DEAD_WITHIN, "Ann's failed login");
        Instant until = Instant.now().plus(DEAD_WITHIN);
        while (receiver.events().stream().filter(event -> isOf(event, ann, "LOGIN")).count() < 2
                && Instant.now().isBefore(until)) {
            Pause.millis(200);
        }
        List<JsonNode> events = receiver.events();
        int lastLogin = -1;
        int firstError = -1;
        for (int i = 0; i < events.size(); i++) {
            if (isOf(events.get(i), ann, "LOGIN")) {
                lastLogin = i;
            } else if (firstError < 0 && isOf(events.get(i), ann, "LOGIN_ERROR")) {
                firstError = i;
            }
        }
        assertThat(events.stream().filter(event -> isOf(event, ann, "LOGIN")).count())
                .as("Ann's login: refused once, then delivered").isEqualTo(2);
        assertThat(firstError).as("Ann's failed login arrives after her retried login, not before").isGreaterThan(lastLogin);
    }

    /**
     * One customer's pile of events behind their own retry does not hold up everyone else's. While the route is
     * paused, Carol signs in, then Ann, then Ann fails to sign in more often than a delivery round reads rows
     * ({@link LocalKeycloak#ROUND_EVENTS} in the suite's servers), and Bob signs in after all that. The first round
     * takes Carol's login and refuses Ann's, whose retry waits a minute or more (two, less jitter): every due row the
     * next round reads first is then one of Ann's, held back behind it. Bob's login still arrives within half a
     * minute, and none of Ann's later events arrives before her login.
     */
    @Test
    void aPileOfOneCustomersEventsBehindTheirRetryDoesNotHoldUpOtherCustomers() throws Exception {
        String ann = customer("pile-ann");
        String bob = customer("pile-bob");
        String carol = customer("pile-carol");
        WebhookReceiver receiver = receiver(WebhookReceiver.start().refusingOnce(ann));
        String route = loginRoute("it-pile", receiver, 120);
        String app = "it-pile-app-" + UUID.randomUUID().toString().substring(0, 6);
        ObjectNode client = Http.JSON.createObjectNode().put("clientId", app).put("publicClient", true)
                .put("directAccessGrantsEnabled", true).put("standardFlowEnabled", false);
        assertThat(admin.send("POST", "/realms/acme/clients", client).statusCode()).isEqualTo(201);

        routes.post("routes/" + route + "/pause");
        new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).signIn(Attempt.fresh(), username(carol), PASSWORD);
        new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).signIn(Attempt.fresh(), username(ann), PASSWORD);
        failedGrants(app, username(ann), LocalKeycloak.ROUND_EVENTS + 20); // more than a delivery round reads
        new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).signIn(Attempt.fresh(), username(bob), PASSWORD);
        assertThat(routes.backlogOf(route).path("pending").asLong()).as("the logins and Ann's failures")
                .isGreaterThan(LocalKeycloak.ROUND_EVENTS + 2);
        routes.post("routes/" + route + "/resume");
        receiver.await(event -> isOf(event, carol, "LOGIN"), DEAD_WITHIN, "Carol's login, in the round that refused Ann's");

        receiver.await(event -> isOf(event, bob, "LOGIN"), Duration.ofSeconds(30),
                "Bob's login, past Ann's round of events waiting for her retry");
        Pause.millis(3_000); // a few more ticks: anything sent beside Bob's login in its round has arrived
        List<JsonNode> events = receiver.events();
        assertThat(events.stream().filter(event -> isOf(event, ann, "LOGIN")).count())
                .as("Ann's login, refused once and not yet retried").isEqualTo(1);
        // Of anyone: failed logins that did not carry Ann's id would not have been held back behind her login.
        assertThat(events.stream().filter(event -> event.path("type").asText().endsWith(".user.LOGIN_ERROR")).count())
                .as("failed logins, all Ann's, which wait for her login").isZero();
    }

    /**
     * One customer's refused event does not make the route wait. The route is idle; the receiver refuses Ann's login
     * once, and her retry is one to two minutes away. Bob signs in right after, and his login still arrives within
     * seconds: one customer's refusal may be about that event, not about the receiver.
     */
    @Test
    void oneCustomersRefusedEventDoesNotMakeTheRouteWait() {
        String ann = customer("refused-ann");
        String bob = customer("refused-bob");
        WebhookReceiver receiver = receiver(WebhookReceiver.start().refusingOnce(ann));
        loginRoute("it-refused", receiver, 120);

        new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).signIn(Attempt.fresh(), username(ann), PASSWORD);
        receiver.await(event -> isOf(event, ann, "LOGIN"), DEAD_WITHIN, "Ann's login, refused once");
        Pause.millis(1_500); // the round that sent it has recorded its outcome
        new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).signIn(Attempt.fresh(), username(bob), PASSWORD);

        receiver.await(event -> isOf(event, bob, "LOGIN"), Duration.ofSeconds(20),
                "Bob's login, while Ann's waits a minute or more for its retry");
        assertThat(receiver.events().stream().filter(event -> isOf(event, ann, "LOGIN")).count())
                .as("Ann's login, refused once and not yet retried").isEqualTo(1);
    }

    /**
     * A receiver that fails two customers' events in one round, with none through, is taken for down: the route waits
     * its first retry delay (20 s) before it sends again, even once the receiver is back and a new login is due.
     */
    @Test
    void aRoundThatFailsTwoCustomersMakesTheRouteWait() {
        String ann = customer("down-ann");
        String bob = customer("down-bob");
        String carol = customer("down-carol");
        WebhookReceiver receiver = receiver(WebhookReceiver.start().answering(503));
        failTwoCustomersInOneRound("it-down", receiver, 20, ann, bob);
        Instant failedRound = receiver.received().get(receiver.received().size() - 1).at();
        receiver.answering(200);
        new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).signIn(Attempt.fresh(), username(carol), PASSWORD);

        receiver.await(event -> isOf(event, carol, "LOGIN"), DEAD_WITHIN, "Carol's login, once the route's wait is over");
        Instant carolArrived = receiver.received().stream().filter(request -> isOf(request.json(), carol, "LOGIN"))
                .findFirst().orElseThrow().at();
        assertThat(Duration.between(failedRound, carolArrived))
                .as("the route's wait after a round that failed two customers").isGreaterThan(Duration.ofSeconds(10));
    }

    /**
     * An admin's resume ends a waiting route's wait: the receiver fails Ann's and Bob's logins in one round, so the
     * route and their logins wait two minutes; the receiver is back and Carol signs in, and her login waits too; an
     * admin resumes the route: all three logins arrive within seconds, Ann's and Bob's retried.
     */
    @Test
    void anAdminsResumeEndsTheWaitOfARouteWhoseReceiverIsBack() {
        String ann = customer("wake-ann");
        String bob = customer("wake-bob");
        String carol = customer("wake-carol");
        WebhookReceiver receiver = receiver(WebhookReceiver.start().answering(503));
        String route = failTwoCustomersInOneRound("it-wake", receiver, 120, ann, bob);
        routes.awaitBacklog(route, entry -> entry.path("state").path("failingSince").isTextual(), DEAD_WITHIN,
                "the route marked failing by the round that failed them");
        receiver.answering(200);
        new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).signIn(Attempt.fresh(), username(carol), PASSWORD);
        Pause.millis(3_000); // several ticks
        assertThat(receiver.events().stream().filter(event -> isOf(event, carol, "LOGIN")))
                .as("Carol's login while the route waits").isEmpty();
        routes.post("routes/" + route + "/resume");

        routes.awaitBacklog(route, entry -> entry.path("pending").asLong() == 0, Duration.ofSeconds(20),
                "every login delivered right after the resume, not two minutes later");
        receiver.await(event -> isOf(event, carol, "LOGIN"), DEAD_WITHIN, "Carol's login");
        assertThat(receiver.events().stream().filter(event -> isOf(event, ann, "LOGIN")).count())
                .as("Ann's login: answered 503, then delivered").isEqualTo(2);
        assertThat(receiver.events().stream().filter(event -> isOf(event, bob, "LOGIN")).count())
                .as("Bob's login: answered 503, then delivered").isEqualTo(2);
    }

    /**
     * A receiver that refuses everyone for good (401: a wrong secret) does not turn the backlog into dead events. Eight
     * customers' logins are due at once on a route that sends one at a time: the round stops after three customers'
     * refusals and the route waits a minute, so five logins are still pending, not dead.
     */
    @Test
    void aReceiverThatRefusesEveryoneDoesNotTurnTheBacklogIntoDeadEvents() {
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            customers.add(customer("refusing-" + i));
        }
        WebhookReceiver receiver = receiver(WebhookReceiver.start().answering(401));
        ObjectNode definition = ExportRoutes.webhookRoute(receiver.url("/in"), secretKey);
        definition.putObject("events").putArray("user").add("LOGIN");
        definition.put("concurrency", 1);
        definition.putObject("retry").put("initialDelaySeconds", 60).put("maxDelaySeconds", 60);
        String route = "it-refusing-" + UUID.randomUUID().toString().substring(0, 6);
        routes.create(route, definition);
        created.add(route);

        signInWhilePaused(route, customers);
        receiver.await(event -> event.path("type").asText().endsWith(".user.LOGIN"), DEAD_WITHIN, "a login, refused");
        Pause.millis(5_000); // several ticks: a route that did not wait would have sent the rest by now

        assertThat(receiver.events()).as("logins sent before the round gave up and the route waited").hasSize(3);
        JsonNode backlog = routes.backlogOf(route);
        assertThat(backlog.path("dead").asLong()).as("logins refused for good").isEqualTo(3);
        assertThat(backlog.path("pending").asLong()).as("logins still waiting for the route").isEqualTo(5);
    }

    /**
     * A login route to a receiver that answers 503, and the logins of two customers that it fails in one round (they
     * sign in while the route is paused); returns the route's name.
     */
    private String failTwoCustomersInOneRound(String prefix, WebhookReceiver receiver, int retrySeconds, String ann,
                                              String bob) {
        String route = loginRoute(prefix, receiver, retrySeconds);
        signInWhilePaused(route, List.of(ann, bob));
        receiver.await(event -> isOf(event, ann, "LOGIN"), DEAD_WITHIN, "the first customer's login, answered 503");
        receiver.await(event -> isOf(event, bob, "LOGIN"), DEAD_WITHIN, "the second customer's login, answered 503");
        return route;
    }

    /** The customers sign in while the route is paused, so their events are due together once it resumes. */
    private void signInWhilePaused(String route, List<String> userIds) {
        routes.post("routes/" + route + "/pause");
        for (String userId : userIds) {
            new OidcCodeFlow(server.realmUrl("acme"), clientId, APP).signIn(Attempt.fresh(), username(userId), PASSWORD);
        }
        routes.post("routes/" + route + "/resume");
    }

    /** A new customer of acme; returns their id. */
    private String customer(String prefix) {
        return admin.createUser("acme", prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test",
                PASSWORD, true);
    }

    /** A route of logins and failed logins to the receiver, which retries a refused event after a fixed delay. */
    private String loginRoute(String prefix, WebhookReceiver receiver, int retrySeconds) {
        ObjectNode definition = ExportRoutes.webhookRoute(receiver.url("/in"), secretKey);
        definition.putObject("events").putArray("user").add("LOGIN").add("LOGIN_ERROR");
        ObjectNode retry = definition.putObject("retry");
        retry.put("maxAttempts", 10);
        retry.put("initialDelaySeconds", retrySeconds);
        retry.put("maxDelaySeconds", retrySeconds);
        String route = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        routes.create(route, definition);
        created.add(route);
        return route;
    }

    /** Failed password grants of one customer, a few at a time: each one a LOGIN_ERROR event. */
    private void failedGrants(String app, String username, int count) throws Exception {
        URI token = URI.create(server.realmUrl("acme") + "/protocol/openid-connect/token");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                answers.add(pool.submit(() -> Http.send(HttpRequest.newBuilder(token)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(Http.form(Map.of("grant_type", "password", "client_id", app, "username", username,
                                "password", "wrong-password")))
                        .build()).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).as("a failed password grant").isGreaterThanOrEqualTo(400);
            }
        } finally {
            pool.shutdown();
        }
    }

    private String username(String userId) {
        return admin.get("/realms/acme/users/" + userId).path("username").asText();
    }

    private static boolean isOf(JsonNode event, String userId, String type) {
        return userId.equals(event.path("data").path("userId").asText())
                && event.path("type").asText().endsWith(".user." + type);
    }

    private WebhookReceiver receiver(WebhookReceiver receiver) {
        receivers.add(receiver);
        return receiver;
    }

    private String route(String prefix, String url) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        ObjectNode definition = ExportRoutes.webhookRoute(URI.create("http://placeholder"), secretKey);
        ((ObjectNode) definition.get("settings")).put("url", url);
        ((ObjectNode) definition.get("settings")).put("readTimeoutMs", 1000);
        ObjectNode retry = (ObjectNode) definition.get("retry");
        retry.put("maxAttempts", 2);
        retry.put("maxDelaySeconds", 1);
        definition.putObject("events").putArray("user").add("LOGIN");
        routes.create(name, definition);
        created.add(name);
        return name;
    }

    private double metric(String pattern) {
        Matcher line = Pattern.compile("^" + pattern + " ([0-9.E+-]+)$", Pattern.MULTILINE).matcher(server.metrics());
        double total = 0;
        while (line.find()) {
            total += Double.parseDouble(line.group(1));
        }
        return total;
    }
}
