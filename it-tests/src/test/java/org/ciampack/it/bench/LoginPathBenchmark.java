package org.ciampack.it.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;

/**
 * The whole pack against stock Keycloak on one server, per path a customer uses: the demo realm {@code acme} (risk
 * step, consent step, profiling step, export listener with its routes, history recorder, all as the demo wires
 * them) against a realm of stock Keycloak's own flows and listeners ({@code bench-stock}, events stored as in acme)
 * with the same number of customers. Paths: (a) browser authorization-code flow of returning customers who keep their
 * cookies but sign in again, (b) password grant. ABBA rounds per path; throughput, p50/p95 latency and server CPU per
 * login, and the pack's cost. Registration is not measured yet.
 *
 * <pre>java ... LoginPathBenchmark http://localhost:8080 http://localhost:9000 admin admin [threads] [seconds] [rounds]</pre>
 */
public final class LoginPathBenchmark {

    private static final String PASSWORD = "Bench-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String STOCK = "bench-stock";
    private static final Map<String, OidcCodeFlow> BROWSERS = new ConcurrentHashMap<>();

    /** One side of a comparison: a realm and its clients for the two paths. */
    private record Side(String name, String realm, String webClient, String grantClient, List<String> users) {
    }

    /** One timed round: logins per second, latencies, server CPU per login. */
    private record Round(double perSecond, List<Long> millis, double cpuMsPerLogin) {
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

        Side pack = new Side("pack", "acme", "acme-web", grantClient(admin, "acme"), users(admin, "acme", threads * 8));
        stockRealm(admin);
        Side stock = new Side("stock", STOCK, "bench-web", grantClient(admin, STOCK), users(admin, STOCK, threads * 8));
        System.out.printf(Locale.ROOT, "%d threads, %d s rounds, %d rounds per path, %d customers per side%n", threads,
                length.toSeconds(), rounds, pack.users().size());
        for (String path : List.of("code flow", "password grant")) {
            run(base, metrics, path, pack, threads, length); // warm-up, one round each
            run(base, metrics, path, stock, threads, length);
            List<Round> packRounds = new ArrayList<>();
            List<Round> stockRounds = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                boolean packFirst = i % 4 == 0 || i % 4 == 3; // ABBA
                Round first = run(base, metrics, path, packFirst ? pack : stock, threads, length);
                Round second = run(base, metrics, path, packFirst ? stock : pack, threads, length);
                packRounds.add(packFirst ? first : second);
                stockRounds.add(packFirst ? second : first);
            }
            report(path, packRounds, stockRounds);
        }
    }

    private static void report(String path, List<Round> pack, List<Round> stock) {
        double packRate = pack.stream().mapToDouble(Round::perSecond).average().orElseThrow();
        double stockRate = stock.stream().mapToDouble(Round::perSecond).average().orElseThrow();
        double packCpu = pack.stream().mapToDouble(Round::cpuMsPerLogin).average().orElseThrow();
        double stockCpu = stock.stream().mapToDouble(Round::cpuMsPerLogin).average().orElseThrow();
        List<Long> packMillis = new ArrayList<>();
        List<Long> stockMillis = new ArrayList<>();
        pack.forEach(round -> packMillis.addAll(round.millis()));
        stock.forEach(round -> stockMillis.addAll(round.millis()));
        Round packAll = new Round(packRate, packMillis, packCpu);
        Round stockAll = new Round(stockRate, stockMillis, stockCpu);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f %% | %d / %d | %d / %d | %.1f | %.1f | %.1f %% |%n", path,
                stockRate, packRate, 100 * (1 - packRate / stockRate), stockAll.p(50), packAll.p(50), stockAll.p(95),
                packAll.p(95), stockCpu, packCpu, 100 * (packCpu / stockCpu - 1));
    }

    private static Round run(URI base, URI metrics, String path, Side side, int threads, Duration length) throws Exception {
        URI realm = URI.create(base + "/realms/" + side.realm());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        double cpuBefore = ServerMetrics.value(metrics, "process_cpu_time_ns_total");
        Instant start = Instant.now();
        List<Future<Integer>> counts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            counts.add(pool.submit(() -> {
                int done = 0;
                while (!stop.get()) {
                    String email = side.users().get((thread + done * threads) % side.users().size());
                    Instant began = Instant.now();
                    if (path.equals("code flow")) {
                        OidcCodeFlow browser = BROWSERS.computeIfAbsent(side.name() + " " + email, key ->
                                new OidcCodeFlow(realm, side.webClient(), APP).header("X-Forwarded-For", "198.51.100." + (1 + thread)));
                        browser.forgetSession().signIn(Attempt.fresh(), email, PASSWORD).code();
                    } else {
                        passwordGrant(realm, side.grantClient(), email, thread);
                    }
                    millis.add(Duration.between(began, Instant.now()).toMillis());
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
        double cpuMs = (ServerMetrics.value(metrics, "process_cpu_time_ns_total") - cpuBefore) / 1e6;
        return new Round(total / seconds, millis, cpuMs / total);
    }

    private static void passwordGrant(URI realm, String clientId, String email, int thread) {
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

    /** A realm of Keycloak's own flows and listeners, with events stored as in acme and the same brute-force rules. */
    private static void stockRealm(AdminApi admin) {
        if (admin.send("GET", "/realms/" + STOCK, null).statusCode() == 200) {
            return;
        }
        ObjectNode realm = Http.JSON.createObjectNode().put("realm", STOCK).put("enabled", true)
                .put("registrationEmailAsUsername", true).put("bruteForceProtected", true).put("failureFactor", 5)
                .put("eventsEnabled", true).put("adminEventsEnabled", true).put("sslRequired", "none");
        realm.putArray("eventsListeners").add("jboss-logging");
        admin.send("POST", "/realms", realm);
        ObjectNode web = Http.JSON.createObjectNode().put("clientId", "bench-web").put("publicClient", true)
                .put("standardFlowEnabled", true);
        web.putArray("redirectUris").add("http://localhost:*");
        web.putObject("attributes").put("pkce.code.challenge.method", "S256");
        admin.send("POST", "/realms/" + STOCK + "/clients", web);
    }

    /** A public client with the password grant, bound to its realm's own direct-grant flow. */
    private static String grantClient(AdminApi admin, String realm) {
        String clientId = "bench-grant";
        if (admin.get("/realms/" + realm + "/clients?clientId=" + clientId).isEmpty()) {
            ObjectNode client = Http.JSON.createObjectNode().put("clientId", clientId).put("publicClient", true)
                    .put("standardFlowEnabled", false).put("directAccessGrantsEnabled", true);
            admin.send("POST", "/realms/" + realm + "/clients", client);
        }
        return clientId;
    }

    private static List<String> users(AdminApi admin, String realm, int count) {
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
