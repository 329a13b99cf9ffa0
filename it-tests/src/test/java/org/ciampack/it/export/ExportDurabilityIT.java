package org.ciampack.it.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nothing is lost and no login waits: with the receiver down, 500 logins (several delivery rounds in the suite's
 * servers) take as long as with it up, and every one of their events arrives once it is back, none twice; with
 * Keycloak killed (SIGKILL) while events wait in the outbox, all of them arrive after a restart.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class ExportDurabilityIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final int CUSTOMERS = 20;
    /** Logins with the receiver up, then down: the latter more than two delivery rounds in the suite's servers. */
    private static final int UP = 100;
    private static final int DOWN = 500;

    @Test
    void loginsWhileTheReceiverIsDownAllArriveOnceAndNoLoginWaited(ServerUnderTest server, AdminApi admin) {
        ExportRoutes routes = new ExportRoutes(server, admin);
        String route = "it-down-" + UUID.randomUUID().toString().substring(0, 6);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            routes.create(route, ExportRoutes.loginWebhookRoute(receiver.url("/in")));
            try {
                Customers customers = Customers.create(server, admin, "down");
                // each customer's first login (a new device, its history and profiling state written) is no baseline
                List<Long> whileUp = customers.signIn(UP).subList(CUSTOMERS, UP);
                receiver.down();
                List<Long> whileDown = customers.signIn(DOWN);
                JsonNode backlog = routes.awaitBacklog(route, entry -> entry.path("pending").asLong() >= DOWN * 9 / 10,
                        Duration.ofSeconds(60), "events waiting while the receiver is down");
                receiver.up();

                // Late is not lost: wait for the route to deliver everything it holds, then count each id once.
                JsonNode drained = routes.awaitDrained(route, Duration.ofSeconds(90));
                assertThat(drained.path("dead").asLong()).as("events given up on").isZero();
                Set<String> ids = customers.loginsReceived(receiver);
                Map<String, Long> copies = receiver.events().stream()
                        .collect(Collectors.groupingBy(event -> event.path("id").asText(), Collectors.counting()));
                assertThat(ids).as("LOGIN events delivered, each counted once (fewer: lost)").hasSize(UP + DOWN);
                assertThat(copies.entrySet().stream().filter(copy -> ids.contains(copy.getKey()) && copy.getValue() > 1))
                        .as("events received twice").isEmpty();

                long medianUp = median(whileUp);
                long medianDown = median(whileDown);
                System.out.printf("[ciam-it] login latency: median %d ms with the receiver up (n=%d), %d ms while down "
                        + "(n=%d); p95 %d / %d ms; backlog seen %s%n", medianUp, whileUp.size(), medianDown,
                        whileDown.size(), percentile(whileUp, 95), percentile(whileDown, 95), backlog);
                assertThat(medianDown).as("median login latency while the receiver is down, vs up (%d ms)", medianUp)
                        .isLessThanOrEqualTo(medianUp * 3 / 2 + 15);
            } finally {
                routes.remove(route);
            }
        }
    }

    @Test
    void eventsInTheOutboxWhenKeycloakIsKilledArriveAfterTheRestart() {
        try (LocalKeycloak server = LocalKeycloak.startSeparate("export-kill", List.of(
                "--spi-events-listener--ciam-export--lease-seconds=10"));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            AdminApi admin = server.admin();
            ExportRoutes routes = new ExportRoutes(server, admin);
            String route = "it-kill";
            receiver.down();
            routes.create(route, ExportRoutes.loginWebhookRoute(receiver.url("/in")));
            Customers customers = Customers.create(server, admin, "kill");
            customers.signIn(100);
            routes.awaitBacklog(route, entry -> entry.path("pending").asLong() + entry.path("notYetRouted").asLong() >= 100,
                    Duration.ofSeconds(30), "100 events waiting");
            Pause.millis(1500); // H2 writes committed data to its file within 500 ms (PostgreSQL: at commit)

            server.kill();
            receiver.up();
            assertThat(receiver.received()).as("nothing was delivered before the kill").isEmpty();
            server.restart("export-kill");

            assertThat(customers.awaitLogins(receiver, 100, Duration.ofMinutes(2))).hasSize(100);
        }
    }

    /** Customers of the demo realm who sign in in turn, each from their own browser (the device cookie kept). */
    private record Customers(ServerUnderTest server, List<String> emails, Map<String, String> ids,
                             Map<String, OidcCodeFlow> browsers) {

        static Customers create(ServerUnderTest server, AdminApi admin, String prefix) {
            List<String> emails = new ArrayList<>();
            Map<String, String> ids = new HashMap<>();
            Map<String, OidcCodeFlow> browsers = new HashMap<>();
            String run = UUID.randomUUID().toString().substring(0, 6);
            for (int i = 0; i < CUSTOMERS; i++) {
                String email = prefix + "-" + run + "-" + i + "@acme.test";
                emails.add(email);
                ids.put(admin.createUser("acme", email, PASSWORD, true), email);
                browsers.put(email, new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP)
                        .header("X-Forwarded-For", "198.51.100." + (10 + i)));
            }
            return new Customers(server, emails, ids, browsers);
        }

        /** Signs in {@code count} times in turn; returns each login's time in milliseconds. */
        List<Long> signIn(int count) {
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                OidcCodeFlow browser = browsers.get(emails.get(i % emails.size())).forgetSession();
                Instant start = Instant.now();
                browser.signIn(Attempt.fresh(), emails.get(i % emails.size()), PASSWORD);
                millis.add(Duration.between(start, Instant.now()).toMillis());
            }
            return millis;
        }

        /** The ids of these customers' LOGIN events the receiver holds now. */
        Set<String> loginsReceived(WebhookReceiver receiver) {
            return receiver.events().stream()
                    .filter(event -> ids.containsKey(event.path("data").path("userId").asText()))
                    .filter(event -> event.path("type").asText().endsWith(".user.LOGIN"))
                    .map(event -> event.path("id").asText())
                    .collect(Collectors.toSet());
        }

        /** Waits for {@code expected} LOGIN events of these customers; returns their ids. */
        Set<String> awaitLogins(WebhookReceiver receiver, int expected, Duration timeout) {
            Instant until = Instant.now().plus(timeout);
            Set<String> seen = Set.of();
            while (Instant.now().isBefore(until)) {
                seen = loginsReceived(receiver);
                if (seen.size() >= expected) {
                    return seen;
                }
                Pause.millis(250);
            }
            throw new AssertionError("only " + seen.size() + " of " + expected + " logins arrived within "
                    + timeout.toSeconds() + " s");
        }
    }

    private static long median(List<Long> values) {
        return percentile(values, 50);
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }
}
