package org.ciampack.it.production;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.ciampack.it.consent.Ledgers;
import org.ciampack.it.export.ExportRoutes;
import org.ciampack.it.export.WebhookReceiver;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.PostgresServer;
import org.ciampack.it.harness.Resources;
import org.ciampack.it.harness.Settings;
import org.ciampack.risk.geo.DemoGeoIpDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two nodes of the production build on one PostgreSQL database, clustered by Keycloak's own embedded Infinispan
 * with database discovery; each test sends the steps of one journey to different nodes. The GeoIP test runs first:
 * it provides the City database that the later tests' places come from.
 */
@Tag("production")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String PASSWORD = "Cluster-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    private static PostgresServer database;
    private static LocalKeycloak a;
    private static LocalKeycloak b;

    private static Path cityDatabase;

    @BeforeAll
    static void start() throws IOException {
        // Both nodes read one City database path, missing at first: the first test puts the file in place.
        cityDatabase = Settings.output().resolve("cluster-geoip").resolve("GeoLite2-City.mmdb");
        Files.createDirectories(cityDatabase.getParent());
        Files.deleteIfExists(cityDatabase);
        List<String> options = LocalKeycloak.riskOptions().stream()
                .map(option -> option.startsWith("--spi-ciam-geoip--maxmind--city-database=")
                        ? "--spi-ciam-geoip--maxmind--city-database=" + cityDatabase : option)
                .toList();
        database = PostgresServer.start();
        a = LocalKeycloak.startOptimized("cluster-a", database, options);
        b = LocalKeycloak.startOptimized("cluster-b", database, options);
        b.awaitClusterView(2, Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(b, a, database);
    }

    @Test
    @Order(1)
    void aGeoIpFileReplacedOnDiskIsPickedUpByBothNodes() throws IOException {
        String email = customer();
        assertThat(whereIs(a, email).path("country").isTextual()).as("node a: no City database yet").isFalse();
        assertThat(whereIs(b, email).path("country").isTextual()).as("node b: no City database yet").isFalse();

        // The operator's geoipupdate run: the file appears by an atomic move into place, once, for both nodes.
        Path download = Files.createTempDirectory(cityDatabase.getParent(), "download");
        DemoGeoIpDatabases.write(download);
        Files.move(download.resolve(DemoGeoIpDatabases.CITY), cityDatabase, StandardCopyOption.ATOMIC_MOVE);

        Instant until = Instant.now().plus(Duration.ofSeconds(40));
        while (!(whereIs(a, email).path("country").isTextual() && whereIs(b, email).path("country").isTextual())) {
            assertThat(Instant.now()).as("both nodes load the new file without a restart").isBefore(until);
            Pause.millis(1000);
        }
        assertThat(whereIs(a, email).get("city").asText()).isEqualTo("Berlin");
        assertThat(whereIs(b, email).get("city").asText()).isEqualTo("Berlin");
    }

    @Test
    void whatThePackKeptAboutACopyRemovedInBulkOnTheOtherNodeIsSwept() {
        BulkRemovals.aRemovedCopyLeavesNothingUnderItsId(a, b, database);
    }

    @Test
    void berlinOnOneNodeThenSydneyOnTheOtherIsStillImpossibleTravel() {
        String email = customer();
        from(a, "198.51.100.31").signIn(Attempt.fresh(), email, PASSWORD).code();

        HttpResponse<String> refused = from(b, "203.0.113.31").submitLogin(Attempt.fresh(), email, PASSWORD);

        assertThat(refused.headers().firstValue("Location")).as("no way to the app").isEmpty();
        assertThat(refused.body()).contains("Invalid username or password");
        AdminApi admin = b.admin();
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        JsonNode error = admin.events("acme", userId, "LOGIN_ERROR").get(0);
        assertThat(error.at("/details/risk_reasons").asText()).as("node b scored node a's history")
                .startsWith("impossible_travel");
    }

    @Test
    void aDeviceTrustedAfterAStepUpOnOneNodeIsKnownOnTheOther() {
        String email = customer();
        from(a, "198.18.0.35").signIn(Attempt.fresh(), email, PASSWORD).code(); // GeoIP cannot place it: no travel

        OidcCodeFlow paris = from(a, "2001:db8::35");
        HttpResponse<String> stepUp = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(stepUp, "ciam-email-otp-form")).as("a new device in a new country").isTrue();
        // The realm's mail server is the one node a was imported with.
        Mailbox.Mail mail = a.mailbox().await(email, m -> m.subject().equals("Your sign-in code"), Duration.ofSeconds(30));
        String code = mail.text().replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
        paris.callbackFrom(paris.follow(paris.submitForm(stepUp, "ciam-email-otp-form", Map.of("code", code))));

        OidcCodeFlow parisOnB = paris.forgetSession().at(b.realmUrl("acme"));
        HttpResponse<String> again = parisOnB.submitLogin(Attempt.fresh(), email, PASSWORD);
        assertThat(again.headers().firstValue("Location").orElse("")).as("node b knows the device node a trusted")
                .startsWith(APP.toString());
        String userId = b.admin().findUserByEmail("acme", email).get("id").asText();
        assertThat(b.admin().events("acme", userId, "LOGIN").get(0).at("/details/risk_level").asText()).isEqualTo("low");
    }

    @Test
    void aNoticePublishedOnOneNodeIsAskedOnTheOtherAndTheAnswerHoldsOnBoth() {
        String email = customer();
        from(b, "198.51.100.32").signIn(Attempt.fresh(), email, PASSWORD).code();
        int version = Ledgers.publishNextPrivacyVersion(a.admin());
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (Ledgers.version(b.admin(), "privacy") != version) {
            assertThat(Instant.now()).as("node b's realm cache learns of the new version").isBefore(until);
            Pause.millis(200);
        }

        OidcCodeFlow onB = from(b, "198.51.100.32");
        HttpResponse<String> asked = onB.submitLogin(Attempt.fresh(), email, PASSWORD);
        assertThat(OidcCodeFlow.hasForm(asked, "ciam-consent-form")).as("node b asks the notice node a published")
                .isTrue();
        assertThat(asked.body()).contains("consent.privacy");
        HttpResponse<String> accepted = onB.submitForm(asked, "ciam-consent-form", Map.of("consent.privacy", "on"));
        assertThat(onB.callbackFrom(onB.follow(accepted)).code()).isNotBlank();

        HttpResponse<String> onA = from(a, "198.51.100.32").submitLogin(Attempt.fresh(), email, PASSWORD);
        assertThat(onA.headers().firstValue("Location").orElse("")).as("node a knows the answer given on node b")
                .startsWith(APP.toString());
        String userId = a.admin().findUserByEmail("acme", email).get("id").asText();
        HttpResponse<String> ledger = a.admin().sendAsAdmin("GET", a.admin().consentAdmin("acme")
                .resolve("users/" + userId + "/ledger"), null);
        assertThat(ledger.body()).contains("\"version\":" + version);
    }

    @Test
    void fiftyConcurrentDecisionsSplitAcrossNodesGetGaplessReceiptsWithinOneLimit() throws Exception {
        String email = customer();
        AdminApi admin = a.admin();
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        // A token per node: each node names itself as the issuer here (behind one load balancer they would agree).
        Map<LocalKeycloak, String> tokens = Map.of(a, token(a, email), b, token(b, email));
        int before = Ledgers.ledger(b.admin(), userId).size();

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            LocalKeycloak node = i % 2 == 0 ? a : b;
            String decision = i % 4 < 2 ? "granted" : "withdrawn";
            answers.add(pool.submit(() -> Http.send(HttpRequest.newBuilder(
                            URI.create(node.realmUrl("acme") + "/ciam-consent/me/marketing_email"))
                    .header("Authorization", "Bearer " + tokens.get(node)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"decision\":\"" + decision + "\",\"version\":1}"))
                    .build()).statusCode()));
        }
        for (Future<Integer> answer : answers) {
            assertThat(answer.get()).as("taken, or refused beyond 20 changes a minute").isIn(200, 429);
        }
        pool.shutdown();

        JsonNode ledger = Ledgers.ledger(b.admin(), userId);
        assertThat(ledger.size() - before).as("one limit for both nodes: at most 20 changes in the minute")
                .isBetween(1, 20);
        Set<Long> seqs = new HashSet<>();
        ledger.forEach(receipt -> seqs.add(receipt.get("seq").asLong()));
        assertThat(seqs).as("receipt numbers 1..n, none twice, none missing").hasSize(ledger.size())
                .allMatch(seq -> seq >= 1 && seq <= ledger.size());
        for (int i = 1; i < ledger.size() - before; i++) {
            assertThat(ledger.get(i).get("decision").asText()).as("each receipt changes the one before it")
                    .isNotEqualTo(ledger.get(i - 1).get("decision").asText());
        }
    }

    @Test
    void loginsAlternatingNodesAreCountedForProgressiveProfiling() {
        String email = "cluster-new-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        a.admin().createUser("acme", email, PASSWORD, true, Map.of()); // no phone yet: asked from the second login on
        HttpResponse<String> first = from(a, "198.51.100.33").submitLogin(Attempt.fresh(), email, PASSWORD);
        assertThat(first.headers().firstValue("Location").orElse("")).as("nothing is asked at the first login")
                .startsWith(APP.toString());

        OidcCodeFlow onB = from(b, "198.51.100.33");
        HttpResponse<String> second = onB.follow(onB.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(second, "ciam-profiling-form")).as("node b counts node a's login: the phone "
                + "is asked at the second").isTrue();
        assertThat(second.body()).contains("name=\"phone\"");
    }

    @Test
    void withBothDispatchersRunningEveryEventIsDeliveredOnce() {
        String route = "it-cluster-" + UUID.randomUUID().toString().substring(0, 6);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            ObjectNode definition = ExportRoutes.loginWebhookRoute(receiver.url("/cluster"));
            new ExportRoutes(a, a.admin()).create(route, definition);
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                customers.add(customer());
            }
            List<String> userIds = customers.stream()
                    .map(email -> a.admin().findUserByEmail("acme", email).get("id").asText()).toList();
            int logins = 0;
            for (int round = 0; round < 4; round++) {
                for (String email : customers) {
                    LocalKeycloak node = logins % 2 == 0 ? a : b;
                    from(node, "198.51.100.34").signIn(Attempt.fresh(), email, PASSWORD).code();
                    logins++;
                }
            }
            new ExportRoutes(b, b.admin()).awaitDrained(route, Duration.ofSeconds(60));
            Map<String, Long> copies = receiver.events().stream()
                    .filter(event -> userIds.contains(event.path("data").path("userId").asText()))
                    .collect(Collectors.groupingBy(event -> event.path("id").asText(), Collectors.counting()));
            assertThat(copies).as("each login once").hasSize(logins);
            assertThat(copies.values()).as("no event twice").containsOnly(1L);
            for (String userId : userIds) {
                List<String> times = receiver.events().stream()
                        .filter(event -> userId.equals(event.path("data").path("userId").asText()))
                        .map(event -> event.path("time").asText()).toList();
                assertThat(times).as("a customer's logins from both nodes arrive in the order they happened")
                        .hasSize(4).isSortedAccordingTo(Comparator.comparing(Instant::parse));
            }
        }
    }

    /** Where the node's GeoIP places a Berlin test address, through the risk what-if API. */
    private static JsonNode whereIs(LocalKeycloak node, String email) {
        HttpResponse<String> response = node.admin().postAsAdmin(URI.create(node.adminRealmUrl("acme") + "/ciam-risk/what-if"),
                Http.JSON.createObjectNode().put("username", email).put("ipAddress", "198.51.100.9")
                        .put("userAgent", "Firefox"));
        assertThat(response.statusCode()).isEqualTo(200);
        return Http.json(response.body()).get("location");
    }

    private static String token(LocalKeycloak node, String email) {
        OidcCodeFlow app = from(node, "198.51.100.36");
        Attempt attempt = Attempt.fresh();
        return app.tokens(app.signIn(attempt, email, PASSWORD).code(), attempt.codeVerifier()).get("access_token")
                .asText();
    }

    @Test
    void theBacklogGaugeIsTheSameOnEveryNodeAndTheFloodLimitCountsPerNode() {
        String route = "it-flood-" + UUID.randomUUID().toString().substring(0, 6);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            ObjectNode definition = ExportRoutes.loginWebhookRoute(receiver.url("/flood"));
            definition.put("maxPerMinute", 1);
            ExportRoutes routes = new ExportRoutes(a, a.admin());
            routes.create(route, definition);
            routes.post("routes/" + route + "/pause");
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                customers.add(customer());
            }
            int logins = 0;
            for (int round = 0; round < 4; round++) {
                for (String email : customers) {
                    from(logins % 2 == 0 ? a : b, "198.51.100.37").signIn(Attempt.fresh(), email, PASSWORD).code();
                    logins++;
                }
            }
            // Every node reads the backlog from the one database: the same gauge everywhere (aggregate with max).
            // (gauges refresh every 15 s); each login is queued or throttled on whichever node fans it out.
            Instant until = Instant.now().plus(Duration.ofSeconds(90));
            double backlog;
            double throttled;
            do {
                assertThat(Instant.now()).as("both nodes report the paused route's backlog").isBefore(until);
                Pause.millis(1000);
                backlog = gauge(a, "ciam_export_backlog", route);
                throttled = gauge(a, "ciam_export_throttled_total", route) + gauge(b, "ciam_export_throttled_total", route);
            } while (backlog + throttled != logins || backlog != gauge(b, "ciam_export_backlog", route));
            assertThat(backlog).as("at most one LOGIN a minute per node got past the flood limit").isBetween(1.0, 2.0);
            routes.remove(route);
        }
    }

    /** The sum of a metric's series for one route on one node (0 when it has none). */
    private static double gauge(LocalKeycloak node, String metric, String route) {
        return node.metrics().lines()
                .filter(line -> line.startsWith(metric + "{") && line.contains("route=\"" + route + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String customer() {
        String email = "cluster-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        a.admin().createUser("acme", email, PASSWORD, true);
        return email;
    }

    private static OidcCodeFlow from(LocalKeycloak node, String forwardedFor) {
        return new OidcCodeFlow(node.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", forwardedFor);
    }

}
