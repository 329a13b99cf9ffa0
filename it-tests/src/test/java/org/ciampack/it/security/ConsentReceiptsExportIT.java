package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.Pause;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The auditors' receipts export at scale: 100,000 receipts stream out of a server with a 192 MB heap (Keycloak's
 * {@code -XX:+ExitOnOutOfMemoryError} on), and what the export keeps alive stays flat: the old generation, where
 * anything held across the export ends up, grows by less than 20 MB. A server of its own for the small heap and the
 * bulk data; the heap figures come from its management port's metrics.
 */
@Tag("local-distribution")
class ConsentReceiptsExportIT {

    private static final long HEAP_MB = 192;
    private static final long OLD_GROWTH_LIMIT = 20L << 20;
    private static final String REALM = "ledger";
    private static final int USERS = 10;
    private static final int REQUESTS_PER_USER = 100;
    private static final int DECISIONS_PER_REQUEST = 100; // the admin API's most per request
    private static final int RECEIPTS = USERS * REQUESTS_PER_USER * DECISIONS_PER_REQUEST;
    // every receipt keeps the user agent of the request that made it: a realistic browser string, 180 characters
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36 ciam-it-bulk-import/1.0 (+https://acme.test/migration-tool-run)";

    private static LocalKeycloak server;

    @BeforeAll
    static void serverWithASmallHeap() {
        server = LocalKeycloak.startSeparate("keycloak-small-heap", List.of(),
                Map.of("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx" + HEAP_MB + "m"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aHundredThousandReceiptsStreamOutInPagesWithinASmallHeap() throws Exception {
        AdminApi admin = server.admin();
        List<String> users = ledgerRealmWithUsers(admin);
        Instant importStarted = Instant.now();
        importReceipts(admin, users);
        System.out.printf("[ciam-it] %d receipts imported in %d s%n", RECEIPTS,
                Duration.between(importStarted, Instant.now()).toSeconds());
        long heapBefore = heapUsed("");
        long oldBefore = heapUsed("G1 Old Gen");

        AtomicLong heapPeak = new AtomicLong();
        AtomicLong oldPeak = new AtomicLong();
        AtomicBoolean exporting = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (exporting.get()) {
                heapPeak.accumulateAndGet(heapUsed(""), Math::max);
                oldPeak.accumulateAndGet(heapUsed("G1 Old Gen"), Math::max);
                Pause.millis(100);
            }
        });
        sampler.start();
        Instant exportStarted = Instant.now();
        HttpResponse<Stream<String>> export = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        admin.consentAdmin(REALM).resolve("receipts?format=jsonl"))
                .timeout(Duration.ofMinutes(3)).header("Authorization", "Bearer " + admin.bearer()).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(export.statusCode()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        long lines = 0;
        long previous = 0;
        boolean ordered = true;
        try (Stream<String> body = export.body()) {
            for (String line : (Iterable<String>) body::iterator) {
                JsonNode receipt = Http.json(line);
                ids.add(receipt.get("receipt").asText());
                long decidedAt = Instant.parse(receipt.get("decidedAt").asText()).toEpochMilli();
                ordered &= decidedAt >= previous;
                previous = decidedAt;
                lines++;
            }
        }
        exporting.set(false);
        sampler.join();
        System.out.printf("[ciam-it] exported %d receipts in %d s; heap used before %d MB, peak while exporting %d MB,"
                        + " limit %d MB; old generation before %d MB, peak %d MB%n", lines,
                Duration.between(exportStarted, Instant.now()).toSeconds(), heapBefore >> 20, heapPeak.get() >> 20,
                HEAP_MB, oldBefore >> 20, oldPeak.get() >> 20);

        assertThat(lines).isEqualTo(RECEIPTS);
        assertThat(ids).as("pages neither repeat nor skip a receipt").hasSize(RECEIPTS);
        assertThat(ordered).as("oldest first").isTrue();
        assertThat(heapPeak.get()).isPositive().isLessThan(HEAP_MB << 20);
        // Receipts an export keeps get promoted to the old generation: holding all 100,000 (one query streamed
        // through the persistence context, as before paging) grew it by 46 MB on this test; pages grow it by ~1 MB.
        assertThat(oldPeak.get() - oldBefore).as("old generation growth while exporting").isLessThan(OLD_GROWTH_LIMIT);
        assertThat(Http.get(URI.create(server.realmUrl(REALM) + "/.well-known/openid-configuration")).statusCode())
                .as("the server lived through it").isEqualTo(200);
        assertThat(server.logTail(300)).doesNotContain("OutOfMemoryError");
    }

    private static List<String> ledgerRealmWithUsers(AdminApi admin) {
        ObjectNode realm = Http.JSON.createObjectNode().put("realm", REALM).put("enabled", true);
        expect(admin.send("POST", "/realms", realm), 201);
        ObjectNode purpose = Http.JSON.createObjectNode().put("version", 1).put("required", false)
                .put("title", "ledgerNewsTitle").put("description", "ledgerNewsText");
        expect(admin.sendAsAdmin("PUT", admin.consentAdmin(REALM).resolve("purposes/news"), purpose), 201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            ObjectNode user = Http.JSON.createObjectNode().put("username", "bulk-" + i).put("enabled", true);
            HttpResponse<String> created = admin.send("POST", "/realms/" + REALM + "/users", user);
            expect(created, 201);
            String location = created.headers().firstValue("Location").orElseThrow();
            ids.add(location.substring(location.lastIndexOf('/') + 1));
        }
        return ids;
    }

    /** As a migration would: each request a hundred changes of mind (granted, withdrawn, ...), all of them kept. */
    private static void importReceipts(AdminApi admin, List<String> users) throws Exception {
        ObjectNode body = Http.JSON.createObjectNode().put("source", "import");
        ArrayNode decisions = body.putArray("decisions");
        for (int i = 0; i < DECISIONS_PER_REQUEST; i++) {
            decisions.addObject().put("purpose", "news").put("version", 1).put("decision", i % 2 == 0 ? "granted" : "withdrawn");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (String user : users) {
                work.add(pool.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_USER; r++) {
                        HttpResponse<String> answer = Http.send(HttpRequest.newBuilder(
                                        admin.consentAdmin(REALM).resolve("users/" + user + "/receipts"))
                                .timeout(Duration.ofSeconds(60))
                                .header("Authorization", "Bearer " + admin.bearer())
                                .header("Content-Type", "application/json").header("User-Agent", USER_AGENT)
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
                        expect(answer, 201);
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
        JsonNode counts = Http.json(admin.sendAsAdmin("GET", admin.consentAdmin(REALM).resolve("counts"), null).body());
        long total = 0;
        for (JsonNode row : counts) {
            total += row.get("count").asLong();
        }
        assertThat(total).isEqualTo(RECEIPTS);
    }

    /** The server's heap in use now (the pools whose name contains {@code pool}), from its Prometheus metrics. */
    private static long heapUsed(String pool) {
        double sum = 0;
        for (String line : server.metrics().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")
                    && line.contains("id=\"" + pool)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
    }
}
