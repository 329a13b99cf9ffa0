package org.ciampack.it.production;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A route's state row (paused, failing since, the lease) is changed by an admin's request and by the delivery rounds
 * of the node that holds the route. Both read it and write it back: a change made between the other's read and
 * write must not be lost. The test holds the row locked from its own database session while both are under way, so
 * that they meet: the admin's pause first, the round's failing mark second.
 */
@Tag("production")
class ExportRouteStateIT {

    private static final String PASSWORD = "Route-State-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final Duration RECEIVER_HOLDS = Duration.ofSeconds(6);

    @Test
    void anAdminsPauseWhileARoundRecordsAFailureIsKept() throws Exception {
        try (PostgresServer database = PostgresServer.start();
             LocalKeycloak server = LocalKeycloak.startOptimized("route-state", database, List.of());
             WebhookReceiver receiver = WebhookReceiver.start().answering(503).hanging(RECEIVER_HOLDS)) {
            ObjectNode definition = ExportRoutes.loginWebhookRoute(receiver.url("/in"));
            ((ObjectNode) definition.get("settings")).put("readTimeoutMs", 20_000);
            String route = "it-state-" + UUID.randomUUID().toString().substring(0, 6);
            ExportRoutes routes = new ExportRoutes(server, server.admin());
            routes.create(route, definition);

            String email = "state-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            server.admin().createUser("acme", email, PASSWORD, true);
            new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).signIn(Attempt.fresh(), email, PASSWORD).code();
            // The round has taken the lease and is sending: the receiver holds its request for a while, then 503.
            await(() -> receiver.arrivals() >= 1, Duration.ofSeconds(30), "the round's request at the receiver");

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
