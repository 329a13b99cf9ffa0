package org.ciampack.it.bench;

import static org.ciampack.it.bench.LoginPathBenchmark.CODE_FLOW;
import static org.ciampack.it.bench.LoginPathBenchmark.PASSWORD;
import static org.ciampack.it.bench.LoginPathBenchmark.PASSWORD_GRANT;
import static org.ciampack.it.bench.LoginPathBenchmark.STOCK;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.ciampack.it.bench.LoginPathBenchmark.Round;
import org.ciampack.it.bench.LoginPathBenchmark.Side;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.PostgresServer;
import org.ciampack.it.production.ExpiredExport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pack at scale on the production topology (PostgreSQL, optimized build), in one run:
 * <ol>
 *   <li>the whole pack ({@code acme}) against stock Keycloak ({@code bench-stock}) with 1,000 customers each, on the
 *       password grant (a different customer each login) and the browser code flow (64 returning customers spread
 *       over the realm, with their cookies), ABBA rounds;</li>
 *   <li>the same with 1,000,000 customers each (seeded by {@link CustomerSeeder} with five history rows, their
 *       consent receipts and profiling state), after a restart that purges a million export events past retention
 *       in batches;</li>
 *   <li>the plans of the pack's statements during logins at that size ({@code auto_explain} with ANALYZE);</li>
 *   <li>the pack on one node against two nodes of one cluster.</li>
 * </ol>
 * Not part of any suite: {@code ./mvnw verify -Pbench-scale -pl it-tests -am} (-Dbench.large, -Dbench.seconds,
 * -Dbench.rounds). The report goes to the console and to {@code it-tests/target/bench-scale.md}.
 */
@Tag("bench-scale")
class ScaleBenchmarkIT {

    private static final int SMALL = 1_000;
    private static final int LARGE = Integer.getInteger("bench.large", 1_000_000);
    private static final int HISTORY_ROWS = 5;
    private static final int RETURNING = 64;
    private static final int THREADS = 4;
    private static final Duration ROUND = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup", 30));
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String PACK_DOMAIN = "pack.scale";
    private static final String STOCK_DOMAIN = "stock.scale";
    private static final Pattern LOG_ENTRY = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\d ");
    private static final Pattern SCAN = Pattern.compile("((?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)"
            + "(?: Backward)?(?: using \\S+)? on \\S+)");

    private final BenchReport report = new BenchReport("bench-scale.md");

    @Test
    void thePacksCostAtAThousandAndAMillionCustomersAndOnOneNodeAgainstTwo() throws Exception {
        print("# Scale benchmark, %s; %d threads, %d s rounds, %d ABBA rounds per comparison, %d cores%n",
                Instant.now(), THREADS, ROUND.toSeconds(), ROUNDS, Runtime.getRuntime().availableProcessors());
        try (PostgresServer database = PostgresServer.start(List.of("shared_preload_libraries=auto_explain",
                "shared_buffers=1GB", "max_wal_size=4GB"));
             DiscardingReceivers receivers = DiscardingReceivers.start(8090, 5514)) {
            LocalKeycloak a = LocalKeycloak.startOptimized("scale-a", database, LocalKeycloak.riskOptions());
            LocalKeycloak b = null;
            try {
                AdminApi admin = a.admin();
                LoginPathBenchmark.stockRealm(admin, STOCK);
                String packGrant = LoginPathBenchmark.grantClient(admin, "acme");
                String stockGrant = LoginPathBenchmark.grantClient(admin, STOCK);
                String packTemplate = template(a, "acme", packGrant, "acme-web");
                String stockTemplate = template(a, STOCK, stockGrant, "bench-web");
                CustomerSeeder seeder = new CustomerSeeder(database);

                seeder.seed(packTemplate, "pack-", PACK_DOMAIN, 1, SMALL, HISTORY_ROWS);
                seeder.seed(stockTemplate, "stok-", STOCK_DOMAIN, 1, SMALL, HISTORY_ROWS);
                compare(a, SMALL, packGrant, stockGrant);

                a.stop();
                Instant seeding = Instant.now();
                seeder.seed(packTemplate, "pack-", PACK_DOMAIN, SMALL + 1, LARGE, HISTORY_ROWS);
                seeder.seed(stockTemplate, "stok-", STOCK_DOMAIN, SMALL + 1, LARGE, HISTORY_ROWS);
                String model = database.query("select id from ciam_event_outbox where event_type = 'LOGIN' limit 1")
                        .get(0);
                ExpiredExport.seed(database, model, "crm-webhook", LARGE, 40);
                print("%nSeeded up to %,d customers per realm and %,d expired export events in %d s; table sizes:%n",
                        LARGE, LARGE, Duration.between(seeding, Instant.now()).toSeconds());
                database.query("select relname || ' ' || n_live_tup from pg_stat_user_tables where relname like "
                        + "'ciam_%' or relname in ('user_entity', 'credential', 'user_attribute') order by 1")
                        .forEach(row -> print("    %s%n", row));

                Instant restarted = Instant.now();
                a.restart("scale-a");
                awaitPurge(a, restarted);
                compare(a, LARGE, packGrant, stockGrant);
                explain(a, database, packGrant);

                b = LocalKeycloak.startOptimized("scale-b", database, LocalKeycloak.riskOptions());
                b.awaitClusterView(2, Duration.ofMinutes(2));
                oneNodeAgainstTwo(a, b, packGrant);
            } finally {
                if (b != null) {
                    b.close();
                }
                a.close();
            }
        }
    }

    /**
     * A customer made through the admin API who signed in once in a browser (profiling state, notices) and then
     * with the password grant, whose history row the copies repeat: every row a real customer has.
     */
    private static String template(LocalKeycloak node, String realm, String grantClient, String webClient) {
        String email = LoginPathBenchmark.users(node.admin(), realm, 1).get(0);
        new OidcCodeFlow(node.realmUrl(realm), webClient, APP).header("X-Forwarded-For", "198.51.100.1")
                .signIn(Attempt.fresh(), email, PASSWORD).code();
        LoginPathBenchmark.passwordGrant(node.realmUrl(realm), grantClient, email, 0);
        return node.admin().findUserByEmail(realm, email).get("id").asText();
    }

    private void compare(LocalKeycloak node, int customers, String packGrant, String stockGrant) throws Exception {
        List<String> packAll = emails(PACK_DOMAIN, customers);
        List<String> stockAll = emails(STOCK_DOMAIN, customers);
        Map<String, Side[]> paths = new LinkedHashMap<>();
        paths.put(PASSWORD_GRANT, new Side[] {new Side("pack", "acme", "acme-web", packGrant, packAll),
                new Side("stock", STOCK, "bench-web", stockGrant, stockAll)});
        paths.put(CODE_FLOW, new Side[] {new Side("pack", "acme", "acme-web", packGrant, returning(packAll)),
                new Side("stock", STOCK, "bench-web", stockGrant, returning(stockAll))});
        URI base = node.baseUrl();
        URI metrics = URI.create(node.managementUrl() + "/metrics");
        print("%n## %,d customers per realm%n%n", customers);
        for (Map.Entry<String, Side[]> path : paths.entrySet()) {
            for (Side side : path.getValue()) {
                LoginPathBenchmark.run(base, metrics, node.mailbox(), path.getKey(), side, THREADS, WARM_UP);
            }
        }
        print("| path | stock /s | pack /s | cost | p50 stock / pack ms | p95 stock / pack ms | CPU ms stock | "
                + "CPU ms pack | CPU cost |%n|---|---|---|---|---|---|---|---|---|%n");
        for (Map.Entry<String, Side[]> path : paths.entrySet()) {
            print("%s", LoginPathBenchmark.compare(path.getKey() + ", " + String.format(Locale.ROOT, "%,d", customers)
                    + " customers", base, metrics, node.mailbox(), path.getKey(), path.getValue()[0],
                    path.getValue()[1], THREADS, ROUND, ROUNDS).report());
        }
    }

    /** Waits for the restarted node's first purge pass to end; reports what it removed and how. */
    private void awaitPurge(LocalKeycloak node, Instant since) {
        Instant until = Instant.now().plus(Duration.ofMinutes(30));
        while (Instant.now().isBefore(until)) {
            String line = node.logTail(100_000).lines().filter(l -> l.contains("past retention in")).reduce((x, y) -> y)
                    .orElse("");
            if (!line.isEmpty()) {
                print("%nRetention after the restart (%d s after it): %s%n",
                        Duration.between(since, Instant.now()).toSeconds(), line.substring(line.indexOf("purged")));
                return;
            }
            Pause.millis(1000);
        }
        throw new IllegalStateException("the purge pass did not end within 30 minutes");
    }

    /**
     * The plans of the pack's statements (those naming a ciam_ table) during a few logins of customers spread over
     * the whole realm, as PostgreSQL ran them: auto_explain with ANALYZE.
     */
    private void explain(LocalKeycloak node, PostgresServer database, String packGrant) throws IOException {
        long logStart = Files.size(database.log());
        database.query("alter system set auto_explain.log_min_duration = 0");
        database.query("alter system set auto_explain.log_analyze = on");
        database.query("select pg_reload_conf()");
        Pause.millis(1000);
        Random random = new Random(42);
        URI realm = node.realmUrl("acme");
        for (int i = 0; i < 3; i++) {
            String email = CustomerSeeder.email(PACK_DOMAIN, 1 + random.nextInt(LARGE));
            LoginPathBenchmark.passwordGrant(realm, packGrant, email, 0);
            new OidcCodeFlow(realm, "acme-web", APP)
                    .header("X-Forwarded-For", "198.51.100.1").signIn(Attempt.fresh(), email, PASSWORD).code();
        }
        database.query("alter system reset auto_explain.log_min_duration");
        database.query("alter system reset auto_explain.log_analyze");
        database.query("select pg_reload_conf()");

        String log = Files.readString(database.log()).substring((int) logStart);
        Map<String, List<String>> plans = new LinkedHashMap<>();
        Map<String, Double> slowest = new LinkedHashMap<>();
        String[] entries = LOG_ENTRY.split(log);
        for (String entry : entries) {
            int text = entry.indexOf("Query Text:");
            if (!entry.contains("plan:") || text < 0) {
                continue;
            }
            String query = entry.substring(text + 11).lines().findFirst().orElse("").strip();
            if (!query.toLowerCase(Locale.ROOT).contains("ciam_")) {
                continue;
            }
            List<String> scans = new ArrayList<>();
            Matcher scan = SCAN.matcher(entry);
            while (scan.find()) {
                scans.add(scan.group(1));
            }
            double millis = Double.parseDouble(entry.replaceAll("(?s).*?duration: ([0-9.]+) ms.*", "$1"));
            plans.putIfAbsent(abbreviate(query), scans);
            slowest.merge(abbreviate(query), millis, Math::max);
        }
        print("%n## The pack's statements during 3 password grants and 3 code flows of customers among %,d "
                + "(auto_explain, ANALYZE)%n%n| statement | scans | slowest ms |%n|---|---|---|%n", LARGE);
        plans.forEach((query, scans) -> print("| `%s` | %s | %.3f |%n", query,
                scans.isEmpty() ? "(none: insert)" : String.join("; ", scans), slowest.get(query)));
    }

    private void oneNodeAgainstTwo(LocalKeycloak a, LocalKeycloak b, String packGrant) throws Exception {
        List<String> customers = emails(PACK_DOMAIN, LARGE);
        List<URI> one = List.of(a.baseUrl());
        List<URI> two = List.of(a.baseUrl(), b.baseUrl());
        List<URI> metrics = List.of(URI.create(a.managementUrl() + "/metrics"), URI.create(b.managementUrl() + "/metrics"));
        int threads = 2 * THREADS;
        print("%n## The pack on one node and on two (password grant, %,d customers, %d threads)%n%n", LARGE, threads);
        Side side = new Side("pack", "acme", "acme-web", packGrant, customers);
        LoginPathBenchmark.run(two, metrics, a.mailbox(), PASSWORD_GRANT, side, threads, WARM_UP);
        List<Double> oneRates = new ArrayList<>();
        List<Double> twoRates = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            boolean oneFirst = i % 4 == 0 || i % 4 == 3;
            for (boolean single : oneFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                Round round = LoginPathBenchmark.run(single ? one : two, metrics, a.mailbox(), PASSWORD_GRANT, side,
                        threads, ROUND);
                (single ? oneRates : twoRates).add(round.perSecond());
                print("    %s: %.1f logins/s, p95 %d ms, %.1f ms CPU each%n", single ? "one node" : "two nodes",
                        round.perSecond(), round.p(95), round.cpuMsPerLogin());
            }
        }
        double oneRate = oneRates.stream().mapToDouble(x -> x).average().orElseThrow();
        double twoRate = twoRates.stream().mapToDouble(x -> x).average().orElseThrow();
        print("%n| nodes | logins/s | ratio |%n|---|---|---|%n| one | %.1f | 1.00 |%n| two | %.1f | %.2f |%n",
                oneRate, twoRate, twoRate / oneRate);
    }

    private static List<String> emails(String domain, int customers) {
        return IntStream.rangeClosed(1, customers).mapToObj(n -> CustomerSeeder.email(domain, n)).toList();
    }

    /** Returning customers spread evenly over the realm (their browsers keep their cookies between rounds). */
    private static List<String> returning(List<String> all) {
        return IntStream.range(0, RETURNING).mapToObj(i -> all.get(i * (all.size() / RETURNING))).toList();
    }

    /** "select from CIAM_X where A=$1 and B=$2", without the column lists and aliases. */
    private static String abbreviate(String query) {
        String flat = query.replaceAll("\\s+", " ").replaceAll("\\b[a-z]+\\d_0\\.", "")
                .replaceAll("\\(\\$\\d+(,\\$\\d+)+\\)", "(\\$…)");
        String verb = flat.substring(0, flat.indexOf(' ')).toLowerCase(Locale.ROOT);
        Matcher table = Pattern.compile("(?i)(?:from|update|into) (CIAM_\\w+)").matcher(flat);
        String name = table.find() ? table.group(1) : "?";
        int where = flat.toLowerCase(Locale.ROOT).indexOf(" where ");
        String condition = where < 0 ? "" : flat.substring(where);
        condition = condition.length() > 110 ? condition.substring(0, 110) + "…" : condition;
        return verb + " " + name + condition;
    }

    private void print(String format, Object... args) {
        report.print(format, args);
    }

}
