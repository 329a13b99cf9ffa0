package org.ciampack.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * verification through the demo's mail catcher. ABBA rounds per path; throughput, p50/p95 latency and server CPU per
 * login, and the pack's cost. Each round prints a line with its wall-clock window, so a flight recording of the
 * server can be cut into pack and stock time.
 *
 * With Keycloak on PostgreSQL and a connection string for {@code psql} as the last argument, the report also counts
 * the SQL statements per journey on each side ({@link StatementCounts}).
 *
 * <pre>java ... LoginPathBenchmark http://localhost:8080 http://localhost:9000 admin admin [threads] [seconds] [rounds]
 *     [mail catcher API] [paths, e.g. "code flow,registration"] [warm-up seconds per path and side]
 *     [psql connection string, e.g. "host=/tmp/pg port=55432 user=postgres dbname=keycloak"]</pre>
 */
public final class LoginPathBenchmark {

    static final String PASSWORD = "Bench-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    static final String STOCK = "bench-stock";
    static final String CODE_FLOW = "code flow";
    static final String PASSWORD_GRANT = "password grant";
    private static final String REGISTRATION = "registration";
    private static final Pattern REGISTRATION_LINK = Pattern.compile("href=\"([^\"]*/login-actions/registration[^\"]*)\"");
    private static final Map<String, OidcCodeFlow> BROWSERS = new ConcurrentHashMap<>();
    /** Counted in the measured rounds when the server's database is given; null otherwise. */
    private static StatementCounts statements;

    /** One side of a comparison: a realm and its clients for the two paths. */
    record Side(String name, String realm, String webClient, String grantClient, List<String> users) {
    }

    /** One timed round: logins per second, latencies, server CPU and memory allocated per login. */
    record Round(double perSecond, List<Long> millis, double cpuMsPerLogin, double allocatedMbPerLogin) {
        long p(int percent) {
            List<Long> sorted = millis.stream().sorted().toList();
            return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
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
        List<String> paths = args.length > 8 ? List.of(args[8].split(",")) : List.of(CODE_FLOW, PASSWORD_GRANT, REGISTRATION);
        Duration warmUp = Duration.ofSeconds(args.length > 9 ? Long.parseLong(args[9]) : 60);
        statements = args.length > 10 && !args[10].isBlank() ? new StatementCounts(args[10]) : null;

        Side pack = new Side("pack", "acme", "acme-web", grantClient(admin, "acme"), users(admin, "acme", threads * 8));
        stockRealm(admin);
        Side stock = new Side("stock", STOCK, "bench-web", grantClient(admin, STOCK), users(admin, STOCK, threads * 8));
        System.out.printf(Locale.ROOT, "%d threads, %d s rounds, %d rounds per path, %d customers per side%n", threads,
                length.toSeconds(), rounds, pack.users().size());
        try (DiscardingReceivers receivers = DiscardingReceivers.start(8090, 5514)) {
            // Every path on both sides first: a fresh server spends seconds of every round compiling (JIT) for
            // minutes, and whichever side runs meanwhile would pay for it.
            for (String path : paths) {
                run(base, metrics, mailbox, path, pack, threads, warmUp);
                run(base, metrics, mailbox, path, stock, threads, warmUp);
            }
            for (String path : paths) {
                System.out.print(compare(path, base, metrics, mailbox, path, pack, stock, threads, length, rounds));
            }
            System.out.printf(Locale.ROOT, "the demo's export routes delivered %d webhook requests and %d bytes of syslog%n",
                    receivers.webhookRequests(), receivers.syslogBytes());
        }
    }

    /** ABBA rounds of one path, pack against stock; returns the report, its row named {@code label}. */
    static String compare(String label, URI base, URI metrics, Mailbox mailbox, String path, Side pack, Side stock,
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
        return report(label, packRounds, stockRounds) + (statements == null ? "" : statements.report(path, 12));
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

    /** The CPU cost of each pair of neighbouring rounds and their median: how far one pair can be from another. */
    private static String pairCosts(List<Round> pack, List<Round> stock) {
        List<Double> costs = new ArrayList<>();
        for (int i = 0; i < pack.size(); i++) {
            costs.add(100 * (pack.get(i).cpuMsPerLogin() / stock.get(i).cpuMsPerLogin() - 1));
        }
        List<Double> sorted = costs.stream().sorted().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return costs.stream().map(cost -> String.format(Locale.ROOT, "%.1f %%", cost)).toList() + ", median "
                + String.format(Locale.ROOT, "%.1f %%", median);
    }

    /** The comparison's table row and the CPU cost of each pair of rounds. */
    static String report(String path, List<Round> pack, List<Round> stock) {
        double packRate = pack.stream().mapToDouble(Round::perSecond).average().orElseThrow();
        double stockRate = stock.stream().mapToDouble(Round::perSecond).average().orElseThrow();
        double packCpu = pack.stream().mapToDouble(Round::cpuMsPerLogin).average().orElseThrow();
        double stockCpu = stock.stream().mapToDouble(Round::cpuMsPerLogin).average().orElseThrow();
        List<Long> packMillis = new ArrayList<>();
        List<Long> stockMillis = new ArrayList<>();
        pack.forEach(round -> packMillis.addAll(round.millis()));
        stock.forEach(round -> stockMillis.addAll(round.millis()));
        double packMb = pack.stream().mapToDouble(Round::allocatedMbPerLogin).average().orElseThrow();
        double stockMb = stock.stream().mapToDouble(Round::allocatedMbPerLogin).average().orElseThrow();
        Round packAll = new Round(packRate, packMillis, packCpu, packMb);
        Round stockAll = new Round(stockRate, stockMillis, stockCpu, stockMb);
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f %% | %d / %d | %d / %d | %.1f | %.1f | %.1f %% |%n"
                        + "  %s: CPU cost per pair of rounds %s; MB allocated per journey stock %.1f, pack %.1f%n", path,
                stockRate, packRate, 100 * (1 - packRate / stockRate), stockAll.p(50), packAll.p(50), stockAll.p(95),
                packAll.p(95), stockCpu, packCpu, 100 * (packCpu / stockCpu - 1), path, pairCosts(pack, stock),
                stockMb, packMb);
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
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        double cpuBefore = sum(metrics, "process_cpu_time_ns_total");
        double allocatedBefore = sum(metrics, "jvm_gc_memory_allocated_bytes_total");
        Instant start = Instant.now();
        List<Future<Integer>> counts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            URI realm = URI.create(bases.get(t % bases.size()) + "/realms/" + side.realm());
            counts.add(pool.submit(() -> {
                int done = 0;
                while (!stop.get()) {
                    String email = side.users().get((thread + done * threads) % side.users().size());
                    Instant began = Instant.now();
                    switch (path) {
                        case CODE_FLOW -> {
                            OidcCodeFlow browser = BROWSERS.computeIfAbsent(side.name() + " " + email, key ->
                                    new OidcCodeFlow(realm, side.webClient(), APP).header("X-Forwarded-For", "198.51.100." + (1 + thread)));
                            browser.forgetSession().signIn(Attempt.fresh(), email, PASSWORD).code();
                            millis.add(Duration.between(began, Instant.now()).toMillis());
                        }
                        case PASSWORD_GRANT -> {
                            passwordGrant(realm, side.grantClient(), email, thread);
                            millis.add(Duration.between(began, Instant.now()).toMillis());
                        }
                        default -> millis.add(register(realm, side.webClient(), mailbox, thread).toMillis());
                    }
                    done++;
                }
                return done;
            }));
        }
        Thread.sleep(length.toMillis());
        stop.set(true);
        int total = 0;
        for (Future<Integer> count : counts) {
            total += count.get();
        }
        pool.shutdown();
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        double cpuMs = (sum(metrics, "process_cpu_time_ns_total") - cpuBefore) / 1e6;
        double allocatedMb = (sum(metrics, "jvm_gc_memory_allocated_bytes_total") - allocatedBefore) / 1e6;
        // One line per round, with its wall-clock window, so a flight recording of the server can be cut by side.
        System.out.printf(Locale.ROOT, "  %s, %s: %.1f per second, %.1f ms CPU each [%d..%d], %.1f MB allocated each%n",
                path, side.name(), total / seconds, cpuMs / total, start.toEpochMilli(), Instant.now().toEpochMilli(),
                allocatedMb / total);
        return new Round(total / seconds, millis, cpuMs / total, allocatedMb / total);
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

    static void passwordGrant(URI realm, String clientId, String email, int thread) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", "198.51.100." + (1 + thread))
                .header("User-Agent", "AcmeApp/3.1 (Android 14)")
                .POST(Http.form(Map.of("grant_type", "password", "client_id", clientId, "username", email,
                        "password", PASSWORD, "scope", "openid")))
                .build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("password grant for " + email + " answered " + response.statusCode() + ": "
                    + response.body());
        }
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
    static void stockRealm(AdminApi admin) {
        boolean exists = admin.send("GET", "/realms/" + STOCK, null).statusCode() == 200;
        JsonNode acme = admin.get("/realms/acme");
        ObjectNode realm = Http.JSON.createObjectNode().put("realm", STOCK).put("enabled", true);
        for (String setting : SHARED_SETTINGS) {
            if (acme.has(setting)) {
                realm.set(setting, acme.get(setting)); // smtpServer: the demo's mail catcher, as for acme
            }
        }
        realm.put("sslRequired", "none"); // the benchmark's clients come from documentation addresses, over HTTP
        realm.putArray("eventsListeners").add("jboss-logging");
        if (exists) {
            admin.send("PUT", "/realms/" + STOCK, realm); // a server kept from an earlier run gets today's settings
            return;
        }
        admin.send("POST", "/realms", realm);
        ObjectNode web = Http.JSON.createObjectNode().put("clientId", "bench-web").put("publicClient", true)
                .put("standardFlowEnabled", true);
        web.putArray("redirectUris").add("http://localhost:*");
        web.putObject("attributes").put("pkce.code.challenge.method", "S256");
        admin.send("POST", "/realms/" + STOCK + "/clients", web);
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
