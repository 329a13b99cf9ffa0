package org.ciampack.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleBiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;

/**
 * The whole pack against stock Keycloak on one server, per path a customer uses: the demo realm {@code acme} (risk
 * step, consent step, profiling step, export listener with its routes, history recorder, all as the demo wires
 * them) against a realm of stock Keycloak's own flows and listeners ({@code bench-stock}, events stored as in acme)
 * with the same number of customers. Paths: (a) browser authorization-code flow of returning customers who keep their
 * cookies but sign in again, (b) password grant, (c) registration of a new customer from the app with e-mail
 * verification through the demo's mail catcher, (d) token refresh: an app renewing a signed-in customer's tokens with
 * the refresh token of its last answer (the most frequent call of a live app, and no password hash in it). ABBA
 * rounds per path; throughput, p50/p95 latency and server CPU per
 * login, and the pack's cost. Then rounds with both sides at once ({@code -Dbench.together}, on by default), whose
 * differences the host's swings do not reach, and rounds at a fixed arrival rate ({@code -Dbench.paced}). Each round
 * prints a line with its wall-clock window, so a flight recording of the server can be cut into pack and stock time.
 *
 * With Keycloak on PostgreSQL and a connection string for {@code psql} as the last argument, the report also counts
 * the SQL statements per journey on each side ({@link StatementCounts}). {@code -Dbench.calibrate=true} puts a second
 * stock realm on the pack's side: an A/A run, whose "cost" is the method's own noise and bias.
 *
 * <pre>java ... LoginPathBenchmark http://localhost:8080 http://localhost:9000 admin admin [threads] [seconds] [rounds]
 *     [mail catcher API] [paths, e.g. "code flow,registration"] [warm-up seconds per path and side]
 *     [psql connection string, e.g. "host=/tmp/pg port=55432 user=postgres dbname=keycloak"]</pre>
 */
public final class LoginPathBenchmark {

    static final String PASSWORD = "Bench-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    static final String STOCK = "bench-stock";
    private static final String STOCK_TWIN = "bench-stock-twin";
    static final String CODE_FLOW = "code flow";
    static final String PASSWORD_GRANT = "password grant";
    private static final String REGISTRATION = "registration";
    static final String TOKEN_REFRESH = "token refresh";
    /** Every path this benchmark knows, by the name {@code -Dbench.paths} gives it. */
    static final List<String> PATHS = List.of(CODE_FLOW, PASSWORD_GRANT, REGISTRATION, TOKEN_REFRESH);
    private static final Pattern REGISTRATION_LINK = Pattern.compile("href=\"([^\"]*/login-actions/registration[^\"]*)\"");
    private static final Map<String, OidcCodeFlow> BROWSERS = new ConcurrentHashMap<>();
    /** Each customer's latest refresh token, per realm and client, for the token-refresh path. */
    private static final Map<String, String> REFRESH_TOKENS = new ConcurrentHashMap<>();
    /** One lock per customer of the token-refresh path: an app renews a customer's tokens one call at a time. */
    private static final Map<String, Object> REFRESHING = new ConcurrentHashMap<>();
    /** Token-refresh journeys that had to sign the customer in again: their session had ended meanwhile. */
    private static final AtomicInteger SIGNED_IN_AGAIN = new AtomicInteger();
    /** Counted in the measured rounds when the server's database is given; null otherwise. */
    private static StatementCounts statements;
    /** The server's JIT compiler's CPU when the server runs on this machine; null otherwise. */
    private static CompilerCpu compiler;
    /** The database server's CPU when it is a PostgreSQL on this machine ({@code -Dbench.database}); null otherwise. */
    private static DatabaseCpu database;

    /** One side of a comparison: a realm and its clients for the two paths. */
    record Side(String name, String realm, String webClient, String grantClient, List<String> users) {
    }

    /** A side's realm and web client, with its password-grant client and customers made or found there. */
    private static Side side(AdminApi admin, String name, String realm, String webClient, int customers) {
        return new Side(name, realm, webClient, grantClient(admin, realm), users(admin, realm, customers));
    }

    /**
     * One timed round: logins per second, latencies, server CPU and memory allocated per login, the CPU this
     * process spent per login (the clients, and the receivers of the demo's export routes, on the same cores), and
     * the part of the server's CPU its JIT compiler took, and the database server's CPU per login when it runs
     * apart (NaN where either cannot be read).
     */
    record Round(double perSecond, List<Long> millis, double cpuMsPerLogin, double allocatedMbPerLogin,
                 double clientCpuMsPerLogin, double jitMsPerLogin, double databaseMsPerLogin) {
        long p(int percent) {
            List<Long> sorted = millis.stream().sorted().toList();
            return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
        }

        double mean() {
            return millis.stream().mapToLong(Long::longValue).average().orElse(0);
        }
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        URI metrics = URI.create(args[1] + "/metrics");
        AdminApi admin = new AdminApi(base, args[2], args[3]);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        Duration length = Duration.ofSeconds(args.length > 5 ? Long.parseLong(args[5]) : 30);
        int rounds = args.length > 6 ? Integer.parseInt(args[6]) : 4;
        Mailbox mailbox = new Mailbox(URI.create(args.length > 7 ? args[7] : "http://localhost:8025"));
        List<String> paths = paths(args.length > 8 ? args[8] : String.join(",", PATHS));
        Duration warmUp = Duration.ofSeconds(args.length > 9 ? Long.parseLong(args[9]) : 60);
        statements = args.length > 10 && !args[10].isBlank() ? new StatementCounts(args[10]) : null;
        compiler = CompilerCpu.of(base, URI.create(args[1]));
        System.out.println(compiler == null ? "the server's JIT compiler: not readable here (not a local Linux process)"
                : "the server's JIT compiler: its threads' CPU read from /proc each round");
        String databaseDirectory = System.getProperty("bench.database", "");
        database = databaseDirectory.isBlank() ? null : DatabaseCpu.of(databaseDirectory);
        if (!databaseDirectory.isBlank()) {
            System.out.println(database != null ? "the database server: its processes' CPU read from /proc each round"
                    : "the database server: not readable here (no readable postmaster.pid in " + databaseDirectory
                    + ", or its process is not a postgres of this machine)");
        }
        // Shares of the stock side's throughput at which to measure with arrivals at a fixed rate, e.g. "0.3,0.6".
        List<Double> pacedShares = System.getProperty("bench.paced", "").isBlank() ? List.of()
                : Stream.of(System.getProperty("bench.paced").split(",")).map(Double::parseDouble)
                .filter(share -> share > 0).toList();
        boolean together = Boolean.parseBoolean(System.getProperty("bench.together", "true"));

        // -Dbench.calibrate: the pack's side is a second realm of stock Keycloak's own flows, set up as the first, so
        // the report shows what this method finds where there is nothing to find (an A/A run: its noise and bias).
        boolean calibrate = Boolean.parseBoolean(System.getProperty("bench.calibrate", "false"));
        Side pack;
        if (calibrate) {
            stockRealm(admin, STOCK_TWIN);
            pack = side(admin, "pack", STOCK_TWIN, "bench-web", threads * 8);
            System.out.println("calibration: the side called pack is " + STOCK_TWIN + ", a second realm of stock Keycloak");
        } else {
            pack = side(admin, "pack", "acme", "acme-web", threads * 8);
        }
        stockRealm(admin, STOCK);
        Side stock = side(admin, "stock", STOCK, "bench-web", threads * 8);
        System.out.printf(Locale.ROOT, "%d threads, %d s rounds, %d rounds per path, %d customers per side%n", threads,
                length.toSeconds(), rounds, pack.users().size());
        try (DiscardingReceivers receivers = DiscardingReceivers.start(8090, 5514)) {
            resumeExportRoutes(admin, base);
            // Every path on both sides first: a fresh server spends seconds of every round compiling (JIT) for
            // minutes, and whichever side runs meanwhile would pay for it.
            for (String path : paths) {
                run(base, metrics, mailbox, path, pack, threads, warmUp);
                run(base, metrics, mailbox, path, stock, threads, warmUp);
            }
            // Every path signs customers in, so the SIEM route gets logins (token refresh: its customers' first
            // sign-ins); only registration sends profile events to the CRM route.
            if (!calibrate && (receivers.syslogBytes() == 0
                    || (paths.contains(REGISTRATION) && receivers.webhookRequests() == 0))) {
                throw new IllegalStateException("the demo's export routes delivered " + receivers.webhookRequests()
                        + " webhook requests and " + receivers.syslogBytes() + " bytes of syslog during the warm-up:"
                        + " the pack side would be measured without its export");
            }
            Map<String, Double> stockRates = new HashMap<>();
            for (String path : paths) {
                Comparison comparison = compare(path, base, metrics, mailbox, path, pack, stock, threads, length, rounds);
                System.out.print(comparison.report());
                stockRates.put(path, comparison.stockPerSecond());
            }
            if (together) {
                System.out.printf(Locale.ROOT, "both sides at once, %d clients each:%n| path | stock /s | pack /s | cost"
                        + " | p50 ms stock / pack | p95 ms stock / pack | mean ms stock / pack | time cost |%n",
                        Math.max(1, threads / 2));
                for (String path : paths) {
                    System.out.print(compareTogether(path, base, metrics, mailbox, pack, stock, threads, length, rounds));
                }
            }
            for (double share : pacedShares) {
                System.out.printf(Locale.ROOT, "at %.0f %% of the stock side's closed-loop throughput, arrivals at a fixed"
                        + " rate:%n| path | journeys/s | p50 ms stock / pack | p95 ms stock / pack | p99 ms stock / pack"
                        + " | CPU ms stock / pack |%n", 100 * share);
                for (String path : paths) {
                    System.out.print(comparePaced(base, metrics, mailbox, path, pack, stock,
                            share * stockRates.get(path), threads, length, rounds));
                }
            }
            System.out.printf(Locale.ROOT, "the demo's export routes delivered %d webhook requests and %d bytes of syslog%n",
                    receivers.webhookRequests(), receivers.syslogBytes());
            if (paths.contains(TOKEN_REFRESH)) {
                System.out.printf(Locale.ROOT, "token refresh: %d journeys signed their customer in again (a session"
                        + " that had ended; each such journey includes a password grant)%n", SIGNED_IN_AGAIN.get());
            }
        }
    }

    /** The paths named, each one this benchmark knows: a misspelt name must not measure another path. */
    static List<String> paths(String names) {
        List<String> paths = Stream.of(names.split(",")).map(String::trim).filter(name -> !name.isEmpty()).distinct()
                .toList();
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no path named; the paths are " + PATHS);
        }
        List<String> unknown = paths.stream().filter(name -> !PATHS.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown paths " + unknown + " in \"" + names + "\"; the paths are " + PATHS);
        }
        return paths;
    }

    /**
     * Resumes the demo realm's export routes that are marked failing and not paused. An earlier run's receivers went
     * away with it, so its routes may still wait (up to their longest retry delay, ten minutes in the demo) and would
     * sit out this run's rounds, making the pack look cheaper than it is; a resume makes them send at once. A route
     * someone paused is left as it is (and the check after the warm-up tells when that matters).
     */
    static void resumeExportRoutes(AdminApi admin, URI base) {
        URI export = base.resolve("/admin/realms/acme/ciam-export/");
        HttpResponse<String> routes = admin.sendAsAdmin("GET", export.resolve("routes"), null);
        if (routes.statusCode() != 200) {
            throw new IllegalStateException("the export routes of acme: " + routes.statusCode() + " " + routes.body());
        }
        for (JsonNode route : Http.json(routes.body())) {
            if (!route.path("state").path("failingSince").isTextual() || route.path("state").path("paused").asBoolean()) {
                continue;
            }
            String name = route.path("name").asText();
            HttpResponse<String> resumed = admin.sendAsAdmin("POST", export.resolve("routes/" + name + "/resume"), null);
            if (resumed.statusCode() != 200) {
                throw new IllegalStateException("resuming export route " + name + ": " + resumed.statusCode());
            }
        }
    }

    /** A closed-loop comparison's report and the stock side's throughput. */
    record Comparison(String report, double stockPerSecond) {
    }

    /** ABBA rounds of one path, pack against stock; returns the report, its row named {@code label}. */
    static Comparison compare(String label, URI base, URI metrics, Mailbox mailbox, String path, Side pack, Side stock,
                          int threads, Duration length, int rounds) throws Exception {
        List<Round> packRounds = new ArrayList<>();
        List<Round> stockRounds = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            boolean packFirst = i % 4 == 0 || i % 4 == 3; // ABBA
            Round first = counted(base, metrics, mailbox, path, packFirst ? pack : stock, threads, length);
            Round second = counted(base, metrics, mailbox, path, packFirst ? stock : pack, threads, length);
            packRounds.add(packFirst ? first : second);
            stockRounds.add(packFirst ? second : first);
        }
        return new Comparison(report(label, packRounds, stockRounds) + (statements == null ? "" : statements.report(path, 12)),
                stockRounds.stream().mapToDouble(Round::perSecond).average().orElseThrow());
    }

    /**
     * Rounds with both sides at once, {@code threads / 2} clients each (the ABBA rounds' number of clients when it is
     * even). Whatever the host does meanwhile (another tenant, a slower hour, the JIT) each side pays alike, so a
     * round's difference is not the hour's. What it measures is the work inside each side's requests: the server
     * shares its cores between them, so a side's time in requests is in proportion to the work its journeys ask of
     * it, and so is its throughput when the clients do nothing else (a registration's clients also wait for the mail:
     * its time cost is the one to read). Work the pack causes outside its requests (the export's dispatcher, the
     * collection of its extra garbage, what its rows cost H2 and the cores' caches) slows both sides alike and does
     * not show here: the figure is a lower bound. The ABBA rounds' CPU per journey includes it, and measures the
     * server's CPU per side, which these rounds cannot split.
     */
    static String compareTogether(String path, URI base, URI metrics, Mailbox mailbox, Side pack, Side stock,
                                  int threads, Duration length, int rounds) throws Exception {
        List<Round> packRounds = new ArrayList<>();
        List<Round> stockRounds = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            boolean packFirst = i % 2 == 0; // which side's clients start first
            List<Round> both = together(List.of(base), List.of(metrics), mailbox, path,
                    packFirst ? List.of(pack, stock) : List.of(stock, pack), Math.max(1, threads / 2), length);
            packRounds.add(both.get(packFirst ? 0 : 1));
            stockRounds.add(both.get(packFirst ? 1 : 0));
        }
        double packRate = packRounds.stream().mapToDouble(Round::perSecond).average().orElseThrow();
        double stockRate = stockRounds.stream().mapToDouble(Round::perSecond).average().orElseThrow();
        Round packAll = pooled(packRate, packRounds);
        Round stockAll = pooled(stockRate, stockRounds);
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f %% | %d / %d | %d / %d (%+d) | %.1f / %.1f | %.1f %% |%n"
                        + "  %s: throughput cost per round %s%n"
                        + "  %s: time cost per round (the pack's mean time in requests over the stock side's) %s%n"
                        + "  %s: p95 difference per round %s%n",
                path, stockRate, packRate, 100 * (1 - packRate / stockRate), stockAll.p(50), packAll.p(50),
                stockAll.p(95), packAll.p(95), packAll.p(95) - stockAll.p(95), stockAll.mean(), packAll.mean(),
                100 * (packAll.mean() / stockAll.mean() - 1),
                path, pairCosts(packRounds, stockRounds, (p, s) -> 100 * (1 - p.perSecond() / s.perSecond())),
                path, pairCosts(packRounds, stockRounds, (p, s) -> 100 * (p.mean() / s.mean() - 1)),
                path, pairCosts(packRounds, stockRounds, (p, s) -> p.p(95) - s.p(95), "ms"));
    }

    /** The rounds' latencies together, at the given rate. */
    private static Round pooled(double perSecond, List<Round> rounds) {
        List<Long> millis = new ArrayList<>();
        rounds.forEach(round -> millis.addAll(round.millis()));
        return new Round(perSecond, millis, 0, 0, 0, Double.NaN, Double.NaN);
    }

    /** A measured round, its SQL statements counted when the database is given. */
    private static Round counted(URI base, URI metrics, Mailbox mailbox, String path, Side side, int threads,
                                 Duration length) throws Exception {
        Map<String, Long> before = statements == null ? null : statements.snapshot();
        Round round = run(base, metrics, mailbox, path, side, threads, length);
        if (statements != null) {
            statements.add(path, side.name(), before, statements.snapshot(), round.millis().size());
        }
        return round;
    }

    /**
     * The cost of each pair of neighbouring rounds by one measure, their median, and the mean's 95 % interval (Student's
     * t): how far one pair can be from another, and whether the run decides anything.
     */
    static String pairCosts(List<Round> pack, List<Round> stock, ToDoubleBiFunction<Round, Round> cost) {
        return pairCosts(pack, stock, cost, "%");
    }

    /** The same, in the given unit (e.g. "ms"). */
    static String pairCosts(List<Round> pack, List<Round> stock, ToDoubleBiFunction<Round, Round> cost, String unit) {
        List<Double> costs = new ArrayList<>();
        for (int i = 0; i < pack.size(); i++) {
            costs.add(cost.applyAsDouble(pack.get(i), stock.get(i)));
        }
        String listed = costs.stream().map(c -> String.format(Locale.ROOT, "%.1f", c)).toList() + " " + unit + ", median "
                + String.format(Locale.ROOT, "%.1f %s", ServerMetrics.median(costs), unit);
        if (costs.size() < 2) {
            return listed;
        }
        double mean = costs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = costs.stream().mapToDouble(c -> (c - mean) * (c - mean)).sum() / (costs.size() - 1);
        double half = T_95[Math.min(T_95.length, costs.size() - 1) - 1] * Math.sqrt(variance / costs.size());
        return listed + String.format(Locale.ROOT, ", mean %.1f %s (95 %%: %.1f to %.1f %s)", mean, unit, mean - half,
                mean + half, unit);
    }

    /** Student's t for a two-sided 95 % interval, by degrees of freedom from 1 (the last one for 10 and more). */
    private static final double[] T_95 = {12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23};

    /** The comparison's table row and the CPU cost of each pair of rounds. */
    static String report(String path, List<Round> pack, List<Round> stock) {
        double packRate = pack.stream().mapToDouble(Round::perSecond).average().orElseThrow();
        double stockRate = stock.stream().mapToDouble(Round::perSecond).average().orElseThrow();
        double packCpu = pack.stream().mapToDouble(Round::cpuMsPerLogin).average().orElseThrow();
        double stockCpu = stock.stream().mapToDouble(Round::cpuMsPerLogin).average().orElseThrow();
        double packMb = pack.stream().mapToDouble(Round::allocatedMbPerLogin).average().orElseThrow();
        double stockMb = stock.stream().mapToDouble(Round::allocatedMbPerLogin).average().orElseThrow();
        double packClient = pack.stream().mapToDouble(Round::clientCpuMsPerLogin).average().orElseThrow();
        double stockClient = stock.stream().mapToDouble(Round::clientCpuMsPerLogin).average().orElseThrow();
        Round packAll = pooled(packRate, pack);
        Round stockAll = pooled(stockRate, stock);
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f %% | %d / %d | %d / %d | %.1f | %.1f | %.1f %% |%n"
                        + "  %s: throughput cost per pair of rounds %s%n"
                        + "  %s: CPU cost per pair of rounds %s%n"
                        + "  %s: MB allocated per journey stock %.1f, pack %.1f; this process's CPU per journey (clients"
                        + " and the export routes' receivers) stock %.1f ms, pack %.1f ms%n", path,
                stockRate, packRate, 100 * (1 - packRate / stockRate), stockAll.p(50), packAll.p(50), stockAll.p(95),
                packAll.p(95), stockCpu, packCpu, 100 * (packCpu / stockCpu - 1),
                path, pairCosts(pack, stock, (p, s) -> 100 * (1 - p.perSecond() / s.perSecond())),
                path, pairCosts(pack, stock, (p, s) -> 100 * (p.cpuMsPerLogin() / s.cpuMsPerLogin() - 1)),
                path, stockMb, packMb, stockClient, packClient) + withoutCompiler(path, pack, stock)
                + withDatabase(path, pack, stock);
    }

    /**
     * The database server's CPU per journey on each side, and the CPU cost of the server and the database together,
     * pooled and per pair of rounds: on PostgreSQL the rows a journey writes cost CPU outside Keycloak's process.
     */
    private static String withDatabase(String path, List<Round> pack, List<Round> stock) {
        if (pack.stream().anyMatch(round -> Double.isNaN(round.databaseMsPerLogin()))) {
            return "";
        }
        double packDatabase = pack.stream().mapToDouble(Round::databaseMsPerLogin).average().orElseThrow();
        double stockDatabase = stock.stream().mapToDouble(Round::databaseMsPerLogin).average().orElseThrow();
        double packBoth = pack.stream().mapToDouble(Round::cpuMsPerLogin).average().orElseThrow() + packDatabase;
        double stockBoth = stock.stream().mapToDouble(Round::cpuMsPerLogin).average().orElseThrow() + stockDatabase;
        return String.format(Locale.ROOT, "  %s: the database's CPU per journey stock %.1f ms, pack %.1f ms; server and"
                        + " database together stock %.1f ms, pack %.1f ms, cost %.1f %%; per pair of rounds %s%n", path,
                stockDatabase, packDatabase, stockBoth, packBoth, 100 * (packBoth / stockBoth - 1),
                pairCosts(pack, stock, (p, s) -> 100 * ((p.cpuMsPerLogin() + p.databaseMsPerLogin())
                        / (s.cpuMsPerLogin() + s.databaseMsPerLogin()) - 1)));
    }

    /**
     * The JIT compiler's CPU per journey on each side and the CPU cost without it, per pair of rounds: a server keeps
     * compiling for minutes, more in pack rounds, and a round's CPU carries it (docs/benchmarks.md, run W).
     */
    private static String withoutCompiler(String path, List<Round> pack, List<Round> stock) {
        if (pack.stream().anyMatch(round -> Double.isNaN(round.jitMsPerLogin()))) {
            return "";
        }
        return String.format(Locale.ROOT, "  %s: the JIT compiler's CPU per journey stock %.1f ms, pack %.1f ms; CPU cost"
                        + " without it per pair of rounds %s%n", path,
                stock.stream().mapToDouble(Round::jitMsPerLogin).average().orElseThrow(),
                pack.stream().mapToDouble(Round::jitMsPerLogin).average().orElseThrow(),
                pairCosts(pack, stock, (p, s) -> 100 * ((p.cpuMsPerLogin() - p.jitMsPerLogin())
                        / (s.cpuMsPerLogin() - s.jitMsPerLogin()) - 1)));
    }

    static Round run(URI base, URI metrics, Mailbox mailbox, String path, Side side, int threads,
                             Duration length) throws Exception {
        return run(List.of(base), List.of(metrics), mailbox, path, side, threads, length);
    }

    /**
     * A round against one node or several: thread {@code t} talks to node {@code t % nodes}; the CPU per login is
     * that of all nodes together.
     */
    static Round run(List<URI> bases, List<URI> metrics, Mailbox mailbox, String path, Side side, int threads,
                     Duration length) throws Exception {
        return together(bases, metrics, mailbox, path, List.of(side), threads, length).get(0);
    }

    /**
     * A closed-loop round of several sides at once, {@code threads} clients each, one round per side in the order
     * given. The server's CPU and memory cannot be told apart by side here: each side's round carries those of all
     * journeys together.
     */
    static List<Round> together(List<URI> bases, List<URI> metrics, Mailbox mailbox, String path, List<Side> sides,
                                int threads, Duration length) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads * sides.size());
        AtomicBoolean stop = new AtomicBoolean();
        List<List<Long>> millis = new ArrayList<>();
        double cpuBefore = sum(metrics, "process_cpu_time_ns_total");
        double allocatedBefore = sum(metrics, "jvm_gc_memory_allocated_bytes_total");
        long clientCpuBefore = clientCpuNanos();
        double jitBefore = compiler == null ? Double.NaN : compiler.nanos();
        double databaseBefore = database == null ? Double.NaN : database.nanos();
        Instant start = Instant.now();
        List<List<Future<Integer>>> counts = new ArrayList<>();
        for (Side side : sides) {
            List<Long> sideMillis = Collections.synchronizedList(new ArrayList<>());
            List<Future<Integer>> sideCounts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                URI realm = URI.create(bases.get(t % bases.size()) + "/realms/" + side.realm());
                sideCounts.add(pool.submit(() -> {
                    int done = 0;
                    while (!stop.get()) {
                        String email = side.users().get((thread + done * threads) % side.users().size());
                        sideMillis.add(journey(realm, mailbox, path, side, email, thread).toMillis());
                        done++;
                    }
                    return done;
                }));
            }
            millis.add(sideMillis);
            counts.add(sideCounts);
        }
        Thread.sleep(length.toMillis());
        stop.set(true);
        List<Integer> totals = new ArrayList<>();
        for (List<Future<Integer>> sideCounts : counts) {
            int total = 0;
            for (Future<Integer> count : sideCounts) {
                total += count.get();
            }
            totals.add(total);
        }
        pool.shutdown();
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        int all = totals.stream().mapToInt(Integer::intValue).sum();
        double cpuMs = (sum(metrics, "process_cpu_time_ns_total") - cpuBefore) / 1e6 / all;
        double allocatedMb = (sum(metrics, "jvm_gc_memory_allocated_bytes_total") - allocatedBefore) / 1e6 / all;
        double clientCpuMs = (clientCpuNanos() - clientCpuBefore) / 1e6 / all;
        double jitMs = compiler == null ? Double.NaN : (compiler.nanos() - jitBefore) / 1e6 / all; // NaN: server gone
        double databaseMs = database == null ? Double.NaN : (database.nanos() - databaseBefore) / 1e6 / all;
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            rounds.add(new Round(totals.get(i) / seconds, millis.get(i), cpuMs, allocatedMb, clientCpuMs, jitMs,
                    databaseMs));
        }
        // One line per round, with its wall-clock window, so a flight recording of the server can be cut by side.
        List<String> rates = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            rates.add(String.format(Locale.ROOT, "%s: %.1f", sides.get(i).name(), rounds.get(i).perSecond()));
        }
        System.out.printf(Locale.ROOT, "  %s, %s per second, %.1f ms CPU each [%d..%d], %.1f MB allocated each%s%n",
                path, String.join(" and ", rates), cpuMs, start.toEpochMilli(), Instant.now().toEpochMilli(), allocatedMb,
                (Double.isNaN(jitMs) ? "" : String.format(Locale.ROOT, ", the JIT compiler %.1f ms of that CPU each", jitMs))
                        + (Double.isNaN(databaseMs) ? "" : String.format(Locale.ROOT, ", the database %.1f ms each", databaseMs)));
        return rounds;
    }

    /**
     * A round at a fixed arrival rate (an open workload, as Keycloak's own benchmark drives a server): journey
     * {@code i} is due {@code i / perSecond} seconds after the start, whatever the server's speed, and its latency
     * counts from when it was due. Unlike a closed loop, whose clients wait for each other so that its latency is
     * its concurrency over its throughput, this shows what a customer waits at a load the server keeps up with.
     */
    static Round paced(URI base, URI metrics, Mailbox mailbox, String path, Side side, double perSecond, int slots,
                       Duration length) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        URI realm = URI.create(base + "/realms/" + side.realm());
        double cpuBefore = ServerMetrics.value(metrics, "process_cpu_time_ns_total");
        double allocatedBefore = ServerMetrics.value(metrics, "jvm_gc_memory_allocated_bytes_total");
        long clientCpuBefore = clientCpuNanos();
        Instant began = Instant.now();
        long start = System.nanoTime();
        long gap = (long) (1e9 / perSecond);
        int arrivals = (int) (length.toNanos() / gap);
        List<Future<?>> journeys = new ArrayList<>();
        for (int i = 0; i < arrivals; i++) {
            long due = start + i * gap;
            TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
            int index = i;
            journeys.add(pool.submit(() -> {
                long late = System.nanoTime() - due; // waiting for a client thread is the client's, but it is counted
                String email = side.users().get(index % side.users().size());
                Duration server = journey(realm, mailbox, path, side, email, index % slots);
                millis.add(TimeUnit.NANOSECONDS.toMillis(late) + server.toMillis());
                return null;
            }));
        }
        for (Future<?> journey : journeys) {
            journey.get();
        }
        pool.shutdown();
        double cpuMs = (ServerMetrics.value(metrics, "process_cpu_time_ns_total") - cpuBefore) / 1e6;
        double allocatedMb = (ServerMetrics.value(metrics, "jvm_gc_memory_allocated_bytes_total") - allocatedBefore) / 1e6;
        double clientCpuMs = (clientCpuNanos() - clientCpuBefore) / 1e6;
        Round round = new Round(arrivals / (length.toMillis() / 1000.0), millis, cpuMs / arrivals,
                allocatedMb / arrivals, clientCpuMs / arrivals, Double.NaN, Double.NaN);
        System.out.printf(Locale.ROOT, "  %s, %s at %.1f per second: p95 %d ms, %.1f ms CPU each [%d..%d]%n", path,
                side.name(), perSecond, round.p(95), cpuMs / arrivals, began.toEpochMilli(), Instant.now().toEpochMilli());
        return round;
    }

    /** ABBA rounds of one path at a fixed arrival rate, pack against stock: the latency a customer sees, and the CPU. */
    static String comparePaced(URI base, URI metrics, Mailbox mailbox, String path, Side pack, Side stock,
                               double perSecond, int slots, Duration length, int rounds) throws Exception {
        List<Long> packMillis = new ArrayList<>();
        List<Long> stockMillis = new ArrayList<>();
        double packCpu = 0;
        double stockCpu = 0;
        for (int i = 0; i < rounds; i++) {
            boolean packFirst = i % 4 == 0 || i % 4 == 3; // ABBA
            for (Side side : packFirst ? List.of(pack, stock) : List.of(stock, pack)) {
                Round round = paced(base, metrics, mailbox, path, side, perSecond, slots, length);
                (side == pack ? packMillis : stockMillis).addAll(round.millis());
                if (side == pack) {
                    packCpu += round.cpuMsPerLogin() / rounds;
                } else {
                    stockCpu += round.cpuMsPerLogin() / rounds;
                }
            }
        }
        Round packAll = new Round(perSecond, packMillis, packCpu, 0, 0, Double.NaN, Double.NaN);
        Round stockAll = new Round(perSecond, stockMillis, stockCpu, 0, 0, Double.NaN, Double.NaN);
        return String.format(Locale.ROOT, "| %s | %.1f | %d / %d | %d / %d (%+d) | %d / %d | %.1f / %.1f (%.1f %%) |%n",
                path, perSecond, stockAll.p(50), packAll.p(50), stockAll.p(95), packAll.p(95),
                packAll.p(95) - stockAll.p(95), stockAll.p(99), packAll.p(99), stockCpu, packCpu,
                100 * (packCpu / stockCpu - 1));
    }

    /**
     * One customer's journey on a path; returns the time it spent in requests to the server (for a registration the
     * wait for the mail is left out). A customer's browser makes one journey at a time, as a person would.
     */
    private static Duration journey(URI realm, Mailbox mailbox, String path, Side side, String email, int slot) {
        Instant began = Instant.now();
        switch (path) {
            case CODE_FLOW -> {
                OidcCodeFlow browser = BROWSERS.computeIfAbsent(side.name() + " " + email, key ->
                        new OidcCodeFlow(realm, side.webClient(), APP).header("X-Forwarded-For", "198.51.100." + (1 + slot)));
                synchronized (browser) {
                    browser.forgetSession().signIn(Attempt.fresh(), email, PASSWORD).code();
                }
            }
            case PASSWORD_GRANT -> passwordGrant(realm, side.grantClient(), email, slot);
            case TOKEN_REFRESH -> refresh(realm, side, email, slot);
            case REGISTRATION -> {
                return register(realm, side.webClient(), mailbox, slot);
            }
            default -> throw new IllegalArgumentException("unknown path " + path);
        }
        return Duration.between(began, Instant.now());
    }

    /** The CPU time this process has used: the benchmark's clients and receivers share the server's cores. */
    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A counter of every node, added up. */
    private static double sum(List<URI> metrics, String counter) throws Exception {
        double sum = 0;
        for (URI node : metrics) {
            sum += ServerMetrics.value(node, counter);
        }
        return sum;
    }

    /**
     * A new customer from the app: login page, registration form (the address, and whatever else the realm's form
     * asks: names, password, consents), the verification mail, its link, the password page where the realm asks
     * for it after verification, and the redirect to the app with a code. Returns the time spent in requests to
     * the server; the wait for the mail to reach the catcher is left out.
     */
    private static Duration register(URI realm, String clientId, Mailbox mailbox, int thread) {
        String email = "bench-new-" + UUID.randomUUID().toString().substring(0, 12) + "@acme.test";
        OidcCodeFlow browser = new OidcCodeFlow(realm, clientId, APP).header("X-Forwarded-For", "198.51.100." + (1 + thread));
        Instant began = Instant.now();
        HttpResponse<String> login = browser.send("GET", browser.authorizationUrl(Attempt.fresh()), Map.of());
        Matcher link = REGISTRATION_LINK.matcher(login.body());
        if (!link.find()) {
            throw new IllegalStateException("no registration link on the login page of " + realm);
        }
        HttpResponse<String> form = browser.send("GET", login.uri().resolve(link.group(1).replace("&amp;", "&")), Map.of());
        Map<String, String> fields = new HashMap<>(Map.of("email", email));
        Map.of("firstName", "Bench", "lastName", "User", "password", PASSWORD, "password-confirm", PASSWORD,
                        "consent.terms", "on", "consent.privacy", "on")
                .forEach((name, value) -> {
                    if (form.body().contains("name=\"" + name + "\"")) {
                        fields.put(name, value);
                    }
                });
        if (form.body().contains("name=\"consentShown\"")) { // the pack's form says which purposes it showed
            fields.put("consentShown", OidcCodeFlow.hiddenField(form, "consentShown"));
        }
        HttpResponse<String> verifyPage = browser.follow(browser.submitForm(form, "kc-register-form", fields));
        if (!verifyPage.body().contains(email)) {
            throw new IllegalStateException("registration of " + email + " ended on " + verifyPage.uri() + " ("
                    + verifyPage.statusCode() + ")");
        }
        Duration server = Duration.between(began, Instant.now());
        Mailbox.Mail mail = mailbox.await(email, m -> m.subject().toLowerCase(Locale.ROOT).contains("verify"),
                Duration.ofSeconds(60));
        began = Instant.now();
        HttpResponse<String> afterLink = browser.follow(browser.send("GET", mail.linkContaining("/login-actions/action-token"), Map.of()));
        if (OidcCodeFlow.hasForm(afterLink, "kc-passwd-update-form")) {
            afterLink = browser.follow(browser.submitForm(afterLink, "kc-passwd-update-form",
                    Map.of("password-new", PASSWORD, "password-confirm", PASSWORD)));
        }
        browser.callbackFrom(afterLink).code();
        return server.plus(Duration.between(began, Instant.now()));
    }

    /** A password grant; returns the token endpoint's answer. */
    static JsonNode passwordGrant(URI realm, String clientId, String email, int thread) {
        return token(realm, email, thread, Map.of("grant_type", "password", "client_id", clientId, "username", email,
                "password", PASSWORD, "scope", "openid"));
    }

    /**
     * The app renews the customer's tokens with the refresh token of its last answer; the customer's first journey
     * on a side gets one with the password grant (the warm-up rounds make those sign-ins). A session that ended
     * meanwhile (Keycloak's idle timeout, 30 minutes by default, can pass in a long run's other paths) is signed in
     * again, counted and reported, rather than ending the run.
     */
    private static void refresh(URI realm, Side side, String email, int thread) {
        String key = side.realm() + " " + side.grantClient() + " " + email;
        synchronized (REFRESHING.computeIfAbsent(key, customer -> new Object())) {
            String refreshToken = REFRESH_TOKENS.get(key);
            HttpResponse<String> renewed = refreshToken == null ? null : renew(realm, side, thread, refreshToken);
            if (renewed == null || (renewed.statusCode() == 400 && renewed.body().contains("invalid_grant"))) {
                if (renewed != null && SIGNED_IN_AGAIN.incrementAndGet() == 1) {
                    System.out.println("  token refresh: a customer's session had ended; signed in again (" + renewed.body()
                            + "); the count is in the report");
                }
                refreshToken = refreshTokenOf(passwordGrant(realm, side.grantClient(), email, thread), email);
                renewed = renew(realm, side, thread, refreshToken);
            }
            REFRESH_TOKENS.put(key, refreshTokenOf(answered(renewed, "refresh_token", email), email));
        }
    }

    private static HttpResponse<String> renew(URI realm, Side side, int thread, String refreshToken) {
        return tokenResponse(realm, thread, Map.of("grant_type", "refresh_token", "client_id", side.grantClient(),
                "refresh_token", refreshToken));
    }

    private static String refreshTokenOf(JsonNode tokens, String email) {
        String refreshToken = tokens.path("refresh_token").asText("");
        if (refreshToken.isEmpty()) {
            throw new IllegalStateException("the token endpoint gave " + email + " no refresh token: " + tokens);
        }
        return refreshToken;
    }

    private static JsonNode token(URI realm, String email, int thread, Map<String, String> form) {
        return answered(tokenResponse(realm, thread, form), form.get("grant_type"), email);
    }

    private static HttpResponse<String> tokenResponse(URI realm, int thread, Map<String, String> form) {
        return Http.send(HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", "198.51.100." + (1 + thread))
                .header("User-Agent", "AcmeApp/3.1 (Android 14)")
                .POST(Http.form(form))
                .build());
    }

    private static JsonNode answered(HttpResponse<String> response, String grantType, String email) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(grantType + " grant for " + email + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return Http.json(response.body());
    }

    /**
     * Settings of acme that stock Keycloak has and a login or registration pays for: the login page's links and
     * boxes, the password policy checked at registration, brute-force detection, what events are stored. The stock
     * side takes them from acme, so the comparison charges the pack only for what the pack adds (its flows, listeners,
     * required actions, theme, user-profile attributes and federation).
     */
    static final List<String> SHARED_SETTINGS = List.of("registrationAllowed", "registrationEmailAsUsername",
            "verifyEmail", "rememberMe", "resetPasswordAllowed", "loginWithEmailAllowed", "duplicateEmailsAllowed",
            "editUsernameAllowed", "passwordPolicy", "bruteForceProtected", "bruteForceStrategy", "permanentLockout",
            "failureFactor", "maxFailureWaitSeconds", "minimumQuickLoginWaitSeconds", "waitIncrementSeconds",
            "quickLoginCheckMilliSeconds", "maxDeltaTimeSeconds", "maxTemporaryLockouts", "eventsEnabled",
            "eventsExpiration", "enabledEventTypes", "adminEventsEnabled", "adminEventsDetailsEnabled",
            "internationalizationEnabled", "supportedLocales", "defaultLocale", "smtpServer");

    /** A realm of Keycloak's own flows and listeners, with acme's {@link #SHARED_SETTINGS}. */
    static void stockRealm(AdminApi admin, String name) {
        boolean exists = admin.send("GET", "/realms/" + name, null).statusCode() == 200;
        JsonNode acme = admin.get("/realms/acme");
        ObjectNode realm = Http.JSON.createObjectNode().put("realm", name).put("enabled", true);
        for (String setting : SHARED_SETTINGS) {
            if (acme.has(setting)) {
                realm.set(setting, acme.get(setting)); // smtpServer: the demo's mail catcher, as for acme
            }
        }
        realm.put("sslRequired", "none"); // the benchmark's clients come from documentation addresses, over HTTP
        realm.putArray("eventsListeners").add("jboss-logging");
        if (exists) {
            admin.send("PUT", "/realms/" + name, realm); // a server kept from an earlier run gets today's settings
            return;
        }
        admin.send("POST", "/realms", realm);
        ObjectNode web = Http.JSON.createObjectNode().put("clientId", "bench-web").put("publicClient", true)
                .put("standardFlowEnabled", true);
        web.putArray("redirectUris").add("http://localhost:*");
        web.putObject("attributes").put("pkce.code.challenge.method", "S256");
        admin.send("POST", "/realms/" + name + "/clients", web);
    }

    /** A public client with the password grant, bound to its realm's own direct-grant flow. */
    static String grantClient(AdminApi admin, String realm) {
        String clientId = "bench-grant";
        if (admin.get("/realms/" + realm + "/clients?clientId=" + clientId).isEmpty()) {
            ObjectNode client = Http.JSON.createObjectNode().put("clientId", clientId).put("publicClient", true)
                    .put("standardFlowEnabled", false).put("directAccessGrantsEnabled", true);
            admin.send("POST", "/realms/" + realm + "/clients", client);
        }
        return clientId;
    }

    static List<String> users(AdminApi admin, String realm, int count) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            if ("acme".equals(realm)) {
                admin.createUser(realm, email, PASSWORD, true); // an existing customer: consents and profile done
            } else {
                ObjectNode user = Http.JSON.createObjectNode().put("username", email).put("email", email)
                        .put("enabled", true).put("emailVerified", true).put("firstName", "Bench").put("lastName", "User");
                user.putArray("credentials").addObject().put("type", "password").put("value", PASSWORD)
                        .put("temporary", false);
                admin.send("POST", "/realms/" + realm + "/users", user);
            }
            users.add(email);
        }
        return users;
    }
}
