package org.ciampack.it.production;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.ciampack.it.export.ExportRoutes;
import org.ciampack.it.export.WebhookReceiver;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A route's state row (paused, failing since, the lease) is changed by an admin's requests and by the delivery rounds
 * of the node that holds the route; a round also writes the route's delivery rows, which a route's removal deletes.
 * The tests hold a row locked from a database session of their own while a round and an admin's request are both
 * under way, so that the two meet in a chosen order: a change made meanwhile must not be lost, and the two must not
 * wait for each other (a deadlock).
 */
@Tag("production")
class ExportRouteStateIT {

    private static final String PASSWORD = "Route-State-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final Duration RECEIVER_HOLDS = Duration.ofSeconds(6);

    private static PostgresServer database;
    private static LocalKeycloak server;
    private static ExportRoutes routes;

    @BeforeAll
    static void start() {
        database = PostgresServer.start();
        server = LocalKeycloak.startOptimized("route-state", database, List.of());
        routes = new ExportRoutes(server, server.admin());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anAdminsPauseWhileARoundRecordsAFailureIsKept() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(503).hanging(RECEIVER_HOLDS)) {
            String route = routeWithARoundInFlight(receiver);

            CompletableFuture<JsonNode> pause;
            try (AutoCloseable lock = database.lockRows("select * from ciam_export_route_state where route_name = '"
                    + route + "' for update")) {
                pause = CompletableFuture.supplyAsync(() -> routes.post("routes/" + route + "/pause"));
                await(() -> database.waitingForLocks() >= 1, Duration.ofSeconds(20), "the admin's pause at the row");
                // The receiver answers 503: the round records the failure and marks the route failing, after the pause.
                await(() -> database.waitingForLocks() >= 2, RECEIVER_HOLDS.plusSeconds(20), "the round's record at the row");
            }
            assertThat(pause.get(30, TimeUnit.SECONDS).path("state").path("paused").asBoolean()).isTrue();
            JsonNode state = routes.awaitBacklog(route, entry -> entry.path("state").has("failingSince")
                    && !entry.path("state").path("failingSince").isNull(), Duration.ofSeconds(30),
                    "the round's failing mark").path("state");
            assertThat(state.path("paused").asBoolean()).as("the admin's pause, written while the round was recording")
                    .isTrue();
            assertThat(state.path("pauseReason").asText()).contains("paused by");
        }
    }

    /**
     * The round locks the route's state before it writes the route's delivery rows; a removal of the route must take
     * them in the same order. The test holds the route's delivery row so that the removal reaches it first and the
     * round's record comes second.
     */
    @Test
    void removingARouteWhileARoundRecordsItsOutcomeIsNoDeadlock() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(503).hanging(RECEIVER_HOLDS)) {
            String route = routeWithARoundInFlight(receiver);
            long logFrom = Files.size(database.log());

            CompletableFuture<HttpResponse<String>> removal;
            try (AutoCloseable lock = database.lockRows("select * from ciam_event_delivery where route_name = '"
                    + route + "' for update")) {
                removal = CompletableFuture.supplyAsync(() ->
                        server.admin().sendAsAdmin("DELETE", routes.url("routes/" + route), null));
                await(() -> database.waitingForLocks() >= 1, Duration.ofSeconds(20), "the removal at the delivery row");
                await(() -> database.waitingForLocks() >= 2, RECEIVER_HOLDS.plusSeconds(20), "the round's record waiting");
            }
            assertThat(removal.get(30, TimeUnit.SECONDS).statusCode()).as("the removal").isEqualTo(204);
            assertThat(database.query("select count(*) from ciam_event_delivery where route_name = '" + route + "'"))
                    .containsExactly("0");
            Pause.millis(2_000); // PostgreSQL looks for a deadlock after deadlock_timeout (1 s) of waiting
            assertThat(logSince(logFrom)).as("PostgreSQL's log").doesNotContain("deadlock detected");
            assertThat(server.logTail(2_000)).as("Keycloak's log").doesNotContain("deadlock detected");
        }
    }

    /** A webhook route taking logins, and a customer's login on its way: the receiver is holding the round's request. */
    private static String routeWithARoundInFlight(WebhookReceiver receiver) {
        ObjectNode definition = ExportRoutes.loginWebhookRoute(receiver.url("/in"));
        ((ObjectNode) definition.get("settings")).put("readTimeoutMs", 20_000);
        String route = "it-state-" + UUID.randomUUID().toString().substring(0, 6);
        routes.create(route, definition);
        String email = "state-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        server.admin().createUser("acme", email, PASSWORD, true);
        new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).signIn(Attempt.fresh(), email, PASSWORD).code();
        await(() -> receiver.arrivals() >= 1, Duration.ofSeconds(30), "the round's request at the receiver");
        return route;
    }

    private static String logSince(long offset) {
        try {
            String log = Files.readString(database.log());
            return log.substring((int) Math.min(offset, log.length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        Instant until = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError(what + " not within " + timeout.toSeconds() + " s");
            }
            Pause.millis(100);
        }
    }
}
