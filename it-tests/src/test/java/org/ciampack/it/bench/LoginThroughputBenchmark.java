package org.ciampack.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Password logins per second through the demo realm's browser flow (with the risk step) and through Keycloak's
 * stock browser flow (without it), on the same running server, alternating rounds so both see the same
 * conditions. Each login is a full authorization-code round trip: login page, password POST, redirect with code.
 *
 * <pre>java ... LoginThroughputBenchmark http://localhost:8080 admin admin [threads] [seconds per round] [rounds]</pre>
 */
public final class LoginThroughputBenchmark {

    private static final String PASSWORD = "Bench-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final Map<String, OidcCodeFlow> BROWSERS = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        AdminApi admin = new AdminApi(base, args[1], args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Duration round = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 30);
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        URI realm = URI.create(base + "/realms/acme");

        String withoutRisk = clientWithStockBrowserFlow(admin);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < threads * 8; i++) {
            String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            admin.createUser("acme", email, PASSWORD, true);
            users.add(email);
        }
        System.out.printf(Locale.ROOT, "%d threads, %d s rounds, %d rounds each, %d users%n", threads, round.toSeconds(), rounds, users.size());
        // Warm-up, one round each: the JIT and the caches still speed the server up for a while after start.
        run(realm, "acme-web", users, threads, round);
        run(realm, withoutRisk, users, threads, round);
        double with = 0;
        double without = 0;
        List<Double> costs = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            // ABBA order, so a server that still speeds up (JIT, caches) favours neither side.
            boolean riskFirst = i % 2 == 0;
            double first = run(realm, riskFirst ? "acme-web" : withoutRisk, users, threads, round);
            double second = run(realm, riskFirst ? withoutRisk : "acme-web", users, threads, round);
            double a = riskFirst ? first : second;
            double b = riskFirst ? second : first;
            costs.add(100 * (1 - a / b));
            System.out.printf(Locale.ROOT, "round %d: with risk step %.1f logins/s, without %.1f logins/s, cost %.1f %%%n",
                    i + 1, a, b, costs.get(i));
            with += a;
            without += b;
        }
        costs.sort(null);
        double median = ServerMetrics.median(costs);
        System.out.printf(Locale.ROOT, "mean: with risk step %.1f logins/s, without %.1f logins/s, cost %.1f %% "
                        + "(median of rounds %.1f %%, rounds from %.1f %% to %.1f %%)%n",
                with / rounds, without / rounds, 100 * (1 - with / without), median, costs.get(0), costs.get(rounds - 1));
    }

    /** A public client like acme-web whose browser flow is Keycloak's stock 'browser' flow: no risk step. */
    private static String clientWithStockBrowserFlow(AdminApi admin) {
        String clientId = "acme-bench-stock-flow";
        String stockFlowId = null;
        for (JsonNode flow : admin.get("/realms/acme/authentication/flows")) {
            if ("browser".equals(flow.get("alias").asText())) {
                stockFlowId = flow.get("id").asText();
            }
        }
        if (admin.get("/realms/acme/clients?clientId=" + clientId).isEmpty()) {
            ObjectNode client = Http.JSON.createObjectNode().put("clientId", clientId).put("publicClient", true)
                    .put("standardFlowEnabled", true);
            client.putArray("redirectUris").add("http://localhost:*");
            client.putObject("attributes").put("pkce.code.challenge.method", "S256");
            client.putObject("authenticationFlowBindingOverrides").put("browser", stockFlowId);
            admin.send("POST", "/realms/acme/clients", client);
        }
        return clientId;
    }

    static double run(URI realm, String clientId, List<String> users, int threads, Duration length) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        Instant start = Instant.now();
        List<Future<Integer>> counts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            counts.add(pool.submit(() -> {
                int done = 0;
                while (!stop.get()) {
                    // Thread t only ever signs in users t, t + threads, ...: one browser per user and client.
                    String email = users.get((thread + done * threads) % users.size());
                    OidcCodeFlow browser = BROWSERS.computeIfAbsent(clientId + " " + email, key ->
                            new OidcCodeFlow(realm, clientId, APP).header("X-Forwarded-For", "198.51.100." + (1 + thread)));
                    // A returning customer: the SSO session is gone, so the password is asked again, but the
                    // browser still has its long-lived device cookie.
                    browser.forgetSession().signIn(Attempt.fresh(), email, PASSWORD).code();
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
        return total / (Duration.between(start, Instant.now()).toMillis() / 1000.0);
    }
}
