package org.ciampack.it.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One realm's export cannot stall another's. A realm admin aims a route at a receiver that accepts connections and
 * never answers, with the longest read timeout and the most lanes a route may have, and fills it with failed
 * sign-ins of unknown users (each its own lane). That realm's rounds wait for their timeouts; acme's events still
 * arrive within seconds, because a realm holds at most half the node's export threads. Its admin's test deliveries to
 * that receiver, which each hold a request thread, are two at a time.
 */
@CiamIntegrationTest
@Tag("local-distribution")
class ExportIsolationIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    /** Test deliveries a realm may run at once (the export's TestDelivery.PER_REALM). */
    private static final int TESTS_PER_REALM = 2;

    @Test
    void aRouteToAReceiverThatNeverAnswersSlowsOnlyItsOwnRealm(ServerUnderTest server, AdminApi admin) throws Exception {
        String noisy = "noisy-" + UUID.randomUUID().toString().substring(0, 8);
        ExportRoutes acmeRoutes = new ExportRoutes(server, admin);
        String acmeRoute = "it-isolation-" + UUID.randomUUID().toString().substring(0, 8);
        Path vaultFile = null;
        try (SilentReceiver silent = new SilentReceiver(); SilentReceiver silentForTests = new SilentReceiver();
             WebhookReceiver acmeReceiver = WebhookReceiver.start()) {
            acmeRoutes.create(acmeRoute, ExportRoutes.loginWebhookRoute(acmeReceiver.url("/acme")));
            ObjectNode realm = Http.JSON.createObjectNode().put("realm", noisy).put("enabled", true);
            realm.putArray("eventsListeners").add("jboss-logging").add("ciam-export");
            assertThat(admin.send("POST", "/realms", realm).statusCode()).isEqualTo(201);
            ObjectNode client = Http.JSON.createObjectNode().put("clientId", "noisy-cli").put("publicClient", true)
                    .put("directAccessGrantsEnabled", true).put("standardFlowEnabled", false);
            assertThat(admin.send("POST", "/realms/" + noisy + "/clients", client).statusCode()).isEqualTo(201);

            String secretKey = "export-it-silent-" + UUID.randomUUID().toString().substring(0, 8);
            vaultFile = LocalKeycloak.vault().resolve(noisy + "_" + secretKey);
            Files.writeString(vaultFile, "whsec_c2lsZW50LXJlY2VpdmVyLXNlY3JldC1rZXk=");
            ObjectNode route = ExportRoutes.webhookRoute(silent.url(), secretKey);
            route.put("concurrency", 32);
            ((ObjectNode) route.get("settings")).put("readTimeoutMs", 60_000);
            route.putObject("events").putArray("user").add("LOGIN_ERROR");
            ExportRoutes noisyRoutes = new ExportRoutes(server, admin, noisy);
            noisyRoutes.create("silent", route);
            noisyRoutes.post("routes/silent/pause"); // the failed sign-ins queue, to be sent in one round on resume
            ObjectNode forTests = ExportRoutes.webhookRoute(silentForTests.url(), secretKey);
            forTests.put("enabled", false); // only its admin's test deliveries reach this receiver
            ((ObjectNode) forTests.get("settings")).put("readTimeoutMs", 60_000);
            noisyRoutes.create("silent-tests", forTests);
            Pause.millis(2_000); // every node has read the new route

            URI noisyRealm = server.realmUrl(noisy);
            for (int i = 0; i < 60; i++) { // unknown users: each event is its own lane
                HttpResponse<String> refused = Http.send(HttpRequest.newBuilder(
                                URI.create(noisyRealm + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(Http.form(Map.of("grant_type", "password", "client_id", "noisy-cli",
                                "username", "nobody-" + i, "password", "wrong"))).build());
                assertThat(refused.statusCode()).as(refused.body()).isIn(400, 401);
                assertThat(refused.body()).contains("invalid_grant");
            }
            Instant queued = Instant.now().plusSeconds(30);
            while (noisyRoutes.backlogOf("silent").path("pending").asLong() < 60 && Instant.now().isBefore(queued)) {
                Pause.millis(200);
            }
            assertThat(noisyRoutes.backlogOf("silent").path("pending").asLong()).as("failed sign-ins queued").isEqualTo(60);
            noisyRoutes.post("routes/silent/resume");
            silent.awaitConnections(8, Duration.ofSeconds(30));
            Pause.millis(1_000); // the silent realm's round holds what it may of the send threads

            String email = "isolation-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            String userId = admin.createUser("acme", email, PASSWORD, true);
            Instant signedIn = Instant.now();
            new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).signIn(Attempt.fresh(), email, PASSWORD).code();
            acmeReceiver.await(event -> event.toString().contains(userId), Duration.ofSeconds(20),
                    "acme's LOGIN while another realm's receiver hangs");
            assertThat(Duration.between(signedIn, Instant.now())).as("acme's event, delivered beside the hanging realm")
                    .isLessThan(Duration.ofSeconds(20));
            assertThat(silent.connections()).as("the silent realm's lanes: at most half the send threads")
                    .isLessThanOrEqualTo(8);

            // Test deliveries hold a request thread each until the receiver answers: two at a time per realm.
            URI test = URI.create(server.adminRealmUrl(noisy) + "/ciam-export/routes/silent-tests/test");
            List<CompletableFuture<HttpResponse<String>>> hanging = new ArrayList<>();
            for (int i = 0; i < TESTS_PER_REALM; i++) {
                hanging.add(HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(test)
                        .header("Authorization", "Bearer " + admin.bearer())
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
            }
            silentForTests.awaitConnections(TESTS_PER_REALM, Duration.ofSeconds(30));
            HttpResponse<String> third = admin.sendAsAdmin("POST", test, null);
            assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
            assertThat(third.body()).contains("at most 2 test deliveries of a realm at a time");
            assertThat(third.headers().firstValue("Retry-After")).as("when to try again").hasValue("5");
            assertThat(admin.sendAsAdmin("POST", URI.create(server.adminRealmUrl("acme") + "/ciam-export/routes/"
                    + acmeRoute + "/test"), null).statusCode()).as("another realm's test").isEqualTo(200);
            hanging.forEach(call -> call.cancel(true));
        } finally {
            acmeRoutes.remove(acmeRoute);
            admin.send("DELETE", "/realms/" + noisy, null);
            if (vaultFile != null) {
                Files.deleteIfExists(vaultFile);
            }
        }
    }

    /** Accepts connections on 127.0.0.1 and never reads or answers, until closed. */
    private static final class SilentReceiver implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentReceiver() throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/in");
        }

        /** Connections accepted so far (the dispatcher's hanging sends: none ends before its 60 s read timeout). */
        int connections() {
            return accepted.size();
        }

        void awaitConnections(int count, Duration timeout) {
            Instant until = Instant.now().plus(timeout);
            while (accepted.size() < count && Instant.now().isBefore(until)) {
                Pause.millis(100);
            }
            assertThat(accepted.size()).as("sends waiting at the silent receiver").isGreaterThanOrEqualTo(count);
        }

        @Override
        public void close() {
            try {
                socket.close();
                for (Socket connection : accepted) {
                    connection.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
