package org.ciampack.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.PostgresServer;
import org.ciampack.it.federation.LegacyShop;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The legacy store's figures on the production topology (Keycloak optimized on PostgreSQL, the legacy database
 * another PostgreSQL), in one run:
 * <ol>
 *   <li>lazy-migration logins against local logins of the same customers afterwards, per legacy hash format
 *       (production costs: bcrypt 10, Argon2id 64 MiB, scrypt 2^15, PBKDF2 260,000, ...), password grant;</li>
 *   <li>the bulk import of {@value #IMPORT_DEFAULT} customers by "Synchronize all users" with their hashes;</li>
 *   <li>admin search and count on a legacy table of {@value #MILLION_DEFAULT} customers with prefix indexes
 *       ({@code lower(username) text_pattern_ops}).</li>
 * </ol>
 * Not part of any suite: {@code ./mvnw verify -Pbench-legacy -pl it-tests -am} (-Dbench.seconds, -Dbench.threads,
 * -Dbench.import, -Dbench.million, -Dbench.parts=migration,import,search). The report goes to the console and to {@code it-tests/target/bench-legacy.md}.
 */
@Tag("bench-legacy")
class LegacyBenchmarkIT {

    private static final int IMPORT_DEFAULT = 100_000;
    private static final int MILLION_DEFAULT = 1_000_000;
    private static final int IMPORT = Integer.getInteger("bench.import", IMPORT_DEFAULT);
    private static final int MILLION = Integer.getInteger("bench.million", MILLION_DEFAULT);
    private static final int THREADS = Integer.getInteger("bench.threads", 4);
    private static final List<String> PARTS = List.of(System.getProperty("bench.parts", "migration,import,search")
            .split(","));
    private static final Duration ROUND = Duration.ofSeconds(Long.getLong("bench.seconds", 15));
    private static final int PER_FORMAT = 1_500;
    private static final int FORMATS = LegacyShop.FORMATS.size();
    private static final int SEARCHES = 100;
    private static final String GRANT_CLIENT = "admin-cli";
    private static final Pattern SYNC_DONE = Pattern.compile("Legacy store legacy-shop: synchronization done: (\\d+) "
            + "legacy customers read, .*? in (\\d+) s");

    private final BenchReport report = new BenchReport("bench-legacy.md");

    private record Round(int logins, double seconds, List<Long> millis, boolean ranOut) {
        double perSecond() {
            return logins / seconds;
        }

        long percentile(int p) {
            List<Long> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
        }
    }

    @Test
    void migrationLoginsBulkImportAndSearchAtAMillion() throws Exception {
        print("# Legacy store benchmark, %s; %d threads, %d s rounds, %d cores%n", Instant.now(), THREADS,
                ROUND.toSeconds(), Runtime.getRuntime().availableProcessors());
        try (PostgresServer keycloakDb = PostgresServer.start(List.of("shared_buffers=1GB", "max_wal_size=4GB"));
             LegacyShop shop = LegacyShop.start(FORMATS)) {
            Instant seeding = Instant.now();
            tables(shop);
            print("Legacy tables written in %d s%n", Duration.between(seeding, Instant.now()).toSeconds());
            LocalKeycloak node = LocalKeycloak.startOptimized("legacy-bench", keycloakDb, LocalKeycloak.riskOptions());
            try {
                AdminApi admin = node.admin();
                if (PARTS.contains("migration")) {
                    migrationAgainstLocalLogins(node, admin, shop);
                }
                if (PARTS.contains("import")) {
                    bulkImport(node, admin, shop);
                }
                if (PARTS.contains("search")) {
                    search(admin, shop);
                }
            } finally {
                node.close();
            }
        }
    }

    /**
     * Customer k (1 to 12) of the shop has the production-cost hash of one format: {@value #PER_FORMAT} copies of
     * each ({@code m<k>-<i>}, the same password), {@code import_customers} and {@code million_customers} beside.
     */
    private static void tables(LegacyShop shop) {
        for (int k = 1; k <= FORMATS; k++) {
            shop.query("insert into customers (id, username, email, email_confirmed, first_name, last_name, "
                    + "password_hash, created_at) select 1000000 * " + k + " + i, 'm" + k + "-' || i, 'm" + k
                    + "-' || i || '@bench.test', true, 'Bench', 'Customer', (select password_hash from customers "
                    + "where id = " + k + "), now() from generate_series(1, " + PER_FORMAT + ") i");
        }
        copies(shop, "import_customers", "i-", IMPORT);
        copies(shop, "million_customers", "s-", MILLION);
        shop.query("create index on million_customers (lower(username) text_pattern_ops)");
        shop.query("create index on million_customers (lower(email) text_pattern_ops)");
        shop.query("analyze");
    }

    private static void copies(LegacyShop shop, String table, String prefix, int count) {
        shop.query("create table " + table + " (like customers including all)");
        shop.query("insert into " + table + " (id, username, email, email_confirmed, first_name, last_name, "
                + "phone_number, password_hash, created_at) select i, '" + prefix + "' || i, '" + prefix
                + "' || i || '@legacy.test', true, 'Legacy', 'Customer ' || i, '+44 20 7946 0000', (select "
                + "password_hash from customers c where c.id = 1 + i % " + FORMATS + "), now() "
                + "from generate_series(1, " + count + ") i");
    }

    /** The store over one of the legacy tables, in a realm of its own. */
    private static String federate(AdminApi admin, LegacyShop shop, String realm, String table,
                                   Map<String, String> settings) {
        admin.send("POST", "/realms", Http.JSON.createObjectNode().put("realm", realm).put("enabled", true));
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("byUsernameSql", "select * from " + table + " where lower(username) = lower(?)");
        all.put("byEmailSql", "select * from " + table + " where lower(email) = lower(?)");
        all.put("searchSql", "select * from " + table + " where lower(username) like ? or lower(email) like ? "
                + "order by id");
        all.put("countSql", "select count(*) from " + table + " where lower(username) like ? or lower(email) like ?");
        all.put("poolSize", "16");
        return shop.federate(admin, realm, all);
    }

    private void migrationAgainstLocalLogins(LocalKeycloak node, AdminApi admin, LegacyShop shop)
            throws Exception {
        String realm = "bench-migrate";
        federate(admin, shop, realm, "customers", Map.of());
        URI realmUrl = node.realmUrl(realm);
        print("%n## Lazy migration against local logins (password grant, %d threads, %d s each)%n%n", THREADS,
                ROUND.toSeconds());
        print("| legacy format | migrations /s | p50 / p95 ms | local logins /s (same customers after) | p50 / p95 ms "
                + "| migration / local |%n|---|---|---|---|---|---|%n");
        // a warm-up, not reported (the JIT, the pools): migrations of the last format's first customers
        run(realmUrl, FORMATS, Duration.ofSeconds(20), false);
        for (int format = 1; format <= FORMATS; format++) {
            Round migration = run(realmUrl, format, ROUND, false);
            Round local = run(realmUrl, format, ROUND, true);
            print("| %s | %.1f%s | %d / %d | %.1f | %d / %d | %.2f |%n", LegacyShop.format(format),
                    migration.perSecond(), migration.ranOut() ? " (ran out of customers)" : "",
                    migration.percentile(50), migration.percentile(95), local.perSecond(), local.percentile(50),
                    local.percentile(95), migration.perSecond() / local.perSecond());
        }
        JsonNode migrated = admin.get("/realms/" + realm + "/users?exact=true&username="
                + username(1, 1));
        assertThat(migrated.get(0).has("federationLink")).as("migrated in the benchmark").isFalse();
    }

    /**
     * Closed loop: each thread signs in the next customer of the format not migrated yet (each once, until the round
     * ends or they run out), or, {@code again}, those migrated before, in turn (local logins).
     */
    private Round run(URI realmUrl, int format, Duration length, boolean again) throws Exception {
        int first = again ? 0 : migratedSoFar[format];
        int available = again ? migratedSoFar[format] : PER_FORMAT - first;
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        Instant start = Instant.now();
        Instant end = start.plus(length);
        List<Future<Boolean>> ranOut = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            ranOut.add(pool.submit(() -> {
                while (Instant.now().isBefore(end)) {
                    int i = next.getAndIncrement();
                    if (!again && i >= available) {
                        return true;
                    }
                    Instant began = Instant.now();
                    grant(realmUrl, username(format, 1 + (again ? i % available : first + i)),
                            LegacyShop.password(format));
                    millis.add(Duration.between(began, Instant.now()).toMillis());
                }
                return false;
            }));
        }
        boolean out = false;
        for (Future<Boolean> thread : ranOut) {
            out |= thread.get();
        }
        pool.shutdown();
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        if (!again) {
            migratedSoFar[format] = first + Math.min(available, next.get());
        }
        return new Round(millis.size(), seconds, millis, out);
    }

    private final int[] migratedSoFar = new int[FORMATS + 1];

    private static String username(int format, int i) {
        return "m" + format + "-" + i;
    }

    private static void grant(URI realmUrl, String username, String password) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(realmUrl
                        + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(Map.of("grant_type", "password", "client_id", GRANT_CLIENT, "username", username,
                        "password", password)))
                .build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(username + ": " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * "Synchronize all users" as an admin clicks it: the request answers within the store's answer time (10 s) with
     * the figures so far; the import goes on, and its end and duration are in the server log.
     */
    private void bulkImport(LocalKeycloak node, AdminApi admin, LegacyShop shop) {
        String realm = "bench-import";
        String store = federate(admin, shop, realm, "import_customers", Map.of("importPasswordHashes", "true",
                "syncAnswerSeconds", "10"));
        Instant start = Instant.now();
        HttpResponse<String> answer = admin.send("POST", "/realms/" + realm + "/user-storage/" + store
                + "/sync?action=triggerFullSync", null);
        double answeredAfter = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        Matcher done = SYNC_DONE.matcher("");
        while (!done.find()) {
            assertThat(Duration.between(start, Instant.now())).as("the import ends").isLessThan(Duration.ofHours(2));
            Pause.millis(2_000);
            done = SYNC_DONE.matcher(node.logTail(500));
        }
        long seconds = Long.parseLong(done.group(2));
        print("%n## Bulk import (\"Synchronize all users\", legacy hashes imported as credentials)%n%n");
        print("%,d legacy customers imported in %d s: %.0f customers/s (server log); the admin's request answered "
                + "%d after %.0f s with the figures so far: %s%n", Integer.parseInt(done.group(1)), seconds,
                Integer.parseInt(done.group(1)) / (double) seconds, answer.statusCode(), answeredAfter, answer.body());
        int users = Integer.parseInt(admin.send("GET", "/realms/" + realm + "/users/count", null).body().strip());
        print("users in the realm afterwards: %,d%n", users);
        assertThat(users).isEqualTo(IMPORT);
    }

    private void search(AdminApi admin, LegacyShop shop) {
        String realm = "bench-search";
        federate(admin, shop, realm, "million_customers", Map.of());
        Random random = new Random(42);
        admin.send("GET", "/realms/" + realm + "/users?search=s-999&max=20", null); // the pool, the statements
        List<Long> narrow = new ArrayList<>();
        List<Long> broad = new ArrayList<>();
        List<Long> count = new ArrayList<>();
        for (int i = 0; i < SEARCHES; i++) {
            narrow.add(timed(admin, "/realms/" + realm + "/users?first=0&max=20&search=s-"
                    + (1 + random.nextInt(MILLION))));
            broad.add(timed(admin, "/realms/" + realm + "/users?first=0&max=20&search=s-" + (10 + i % 90)));
            count.add(timed(admin, "/realms/" + realm + "/users/count?search=s-" + (10 + random.nextInt(90))));
        }
        print("%n## Admin search on %,d legacy customers (%d searches each; each listed page is imported)%n%n", MILLION,
                SEARCHES);
        print("| request | p50 ms | p95 ms | max ms |%n|---|---|---|---|%n");
        print("| first page (20) of a one-customer search (s-<n>) | %s |%n", figures(narrow));
        print("| first page (20) of a search matching ~11,000 (s-<2 digits>) | %s |%n", figures(broad));
        print("| count of a search matching ~11,000 | %s |%n", figures(count));
    }

    private static long timed(AdminApi admin, String path) {
        Instant began = Instant.now();
        HttpResponse<String> response = admin.send("GET", path, null);
        long millis = Duration.between(began, Instant.now()).toMillis();
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return millis;
    }

    private static String figures(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%d | %d | %d", sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() * 95 / 100), sorted.get(sorted.size() - 1));
    }

    private void print(String format, Object... args) {
        report.print(format, args);
    }
}
