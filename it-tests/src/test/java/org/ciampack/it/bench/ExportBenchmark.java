package org.ciampack.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;

/**
 * The event export's figures (docs/benchmarks.md), against a running server with the demo realm and its vault
 * (docker/run-local.sh), delivering to a webhook receiver in this process on loopback:
 * <ul>
 * <li>{@code drain}: events/s emptying a backlog of N events, one event per request and in batches of 100. The
 * backlog is made of admin events (user updates, the cheapest events to make in bulk) while both routes are paused;
 * then one route at a time is resumed and timed until its backlog is empty.</li>
 * <li>{@code logins}: logins/s with the realm's ciam-export listener on and off, in alternating (ABBA) rounds, with
 * a route that delivers every LOGIN to the receiver. A warm-up switches export on and off too, so the JIT has seen
 * both paths before the first measured round.</li>
 * </ul>
 * <pre>java ... ExportBenchmark http://localhost:8080 admin admin drain [events] [threads]
 * java ... ExportBenchmark http://localhost:8080 admin admin measure route[,route] receiver-port (drain alone)
 * java ... ExportBenchmark http://localhost:8080 admin admin logins [threads] [seconds per round] [rounds] [warm-up seconds] [route batch size]</pre>
 */
public final class ExportBenchmark {

    private static final String PASSWORD = "Bench-Password-42";
    private static final AtomicLong RECEIVED = new AtomicLong();

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        AdminApi admin = new AdminApi(base, args[1], args[2]);
        HttpServer receiver = receiver("measure".equals(args[3]) ? Integer.parseInt(args[5]) : 0);
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/events");
        URI api = URI.create(base + "/admin/realms/acme/ciam-export/");
        List<JsonNode> demoRoutes = new ArrayList<>();
        // The demo realm's own routes point at receivers that are not running here: off during the measurement.
        for (JsonNode route : Http.json(admin.sendAsAdmin("GET", api.resolve("routes"), null).body())) {
            if (!route.path("name").asText().startsWith("bench-")) {
                demoRoutes.add(route);
                ObjectNode off = ((ObjectNode) route.deepCopy()).put("enabled", false);
                expect(admin.sendAsAdmin("PUT", api.resolve("routes/" + route.path("name").asText()), off), 200);
            }
        }
        try {
            if ("drain".equals(args[3])) {
                drain(base, admin, url, args.length > 4 ? Integer.parseInt(args[4]) : 100_000,
                        args.length > 5 ? Integer.parseInt(args[5]) : 8);
            } else if ("measure".equals(args[3])) {
                // the drain of an existing backlog: paused routes, comma-separated, delivering to the given port
                measure(admin, URI.create(base + "/admin/realms/acme/ciam-export/"), args[4].split(","));
            } else {
                logins(base, admin, url, args.length > 4 ? Integer.parseInt(args[4]) : 4,
                        Duration.ofSeconds(args.length > 5 ? Long.parseLong(args[5]) : 30),
                        args.length > 6 ? Integer.parseInt(args[6]) : 4,
                        Duration.ofSeconds(args.length > 7 ? Long.parseLong(args[7]) : 120),
                        args.length > 8 ? Integer.parseInt(args[8]) : 1);
            }
        } finally {
            receiver.stop(0);
            for (JsonNode route : demoRoutes) {
                admin.sendAsAdmin("PUT", api.resolve("routes/" + route.path("name").asText()), route);
            }
        }
    }

    private static void drain(URI base, AdminApi admin, URI url, int events, int threads) throws Exception {
        URI api = URI.create(base + "/admin/realms/acme/ciam-export/");
        String run = UUID.randomUUID().toString().substring(0, 6);
        String single = "bench-single-" + run;
        String batched = "bench-batched-" + run;
        for (String route : List.of(single, batched)) {
            ObjectNode definition = route(url, route.equals(batched) ? 100 : 1);
            definition.putObject("events").putArray("admin").add("USER.UPDATE");
            expect(admin.sendAsAdmin("PUT", api.resolve("routes/" + route), definition), 201);
            expect(admin.sendAsAdmin("POST", api.resolve("routes/" + route + "/pause"), null), 200);
        }
        List<String> users = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            emails.add("drain-" + run + "-" + i + "@acme.test");
            users.add(admin.createUser("acme", emails.get(i), PASSWORD, true));
        }
        Instant made = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            work.add(pool.submit(() -> {
                for (int i = thread; i < events; i += threads) {
                    ObjectNode change = Http.JSON.createObjectNode().put("email", emails.get(i % users.size()));
                    change.putObject("attributes").putArray("company").add("Acme " + i);
                    expect(admin.send("PUT", "/realms/acme/users/" + users.get(i % users.size()), change), 204);
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        pool.shutdown();
        System.out.printf(Locale.ROOT, "made %d admin events in %d s%n", events, Duration.between(made, Instant.now()).toSeconds());
        await(admin, api, null, entry -> true, body -> body.path("notYetRouted").asLong() == 0, Duration.ofMinutes(30));
        measure(admin, api, single, batched);
    }

    private static void measure(AdminApi admin, URI api, String... routes) throws Exception {
        for (String route : routes) {
            JsonNode before = await(admin, api, route, entry -> entry.path("pending").asLong() > 0, body -> true,
                    Duration.ofMinutes(5));
            long pending = before.path("pending").asLong();
            long receivedBefore = RECEIVED.get();
            Instant start = Instant.now();
            expect(admin.sendAsAdmin("POST", api.resolve("routes/" + route + "/resume"), null), 200);
            // Watch the receiver, not the backlog API: its counts over a large table would load the server.
            Instant until = start.plus(Duration.ofMinutes(30));
            while (RECEIVED.get() - receivedBefore < pending && Instant.now().isBefore(until)) {
                Thread.sleep(50);
            }
            double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            await(admin, api, route, entry -> entry.path("pending").asLong() == 0, body -> true, Duration.ofMinutes(5));
            System.out.printf(Locale.ROOT, "%s: %d events drained in %.1f s: %.0f events/s (receiver got %d)%n",
                    route.startsWith("bench-single") ? "one event per request" : "batches of 100", pending, seconds,
                    pending / seconds, RECEIVED.get() - receivedBefore);
            admin.sendAsAdmin("DELETE", api.resolve("routes/" + route), null);
        }
    }

    private static void logins(URI base, AdminApi admin, URI url, int threads, Duration round, int rounds,
            Duration warmUp, int batchSize) throws Exception {
        URI realm = URI.create(base + "/realms/acme");
        URI api = URI.create(base + "/admin/realms/acme/ciam-export/");
        String route = "bench-logins-" + UUID.randomUUID().toString().substring(0, 6);
        ObjectNode definition = route(url, batchSize);
        definition.putObject("events").putArray("user").add("LOGIN");
        expect(admin.sendAsAdmin("PUT", api.resolve("routes/" + route), definition), 201);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < threads * 8; i++) {
            String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
            admin.createUser("acme", email, PASSWORD, true);
            users.add(email);
        }
        System.out.printf(Locale.ROOT, "%d threads, %d s rounds, %d rounds each, %d users, %d s warm-up, route batch "
                + "size %d%n", threads, round.toSeconds(), rounds, users.size(), warmUp.toSeconds(), batchSize);
        for (int i = 0; i * round.toSeconds() < warmUp.toSeconds(); i++) {
            export(admin, i % 2 == 0);
            LoginThroughputBenchmark.run(realm, "acme-web", users, threads, round);
        }
        URI metrics = ServerMetrics.of(base);
        double on = 0;
        double off = 0;
        double cpuOn = 0;
        double cpuOff = 0;
        List<Double> costs = new ArrayList<>();
        List<Double> cpuCosts = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            boolean onFirst = i % 2 == 0; // ABBA
            export(admin, onFirst);
            double[] first = measuredRound(metrics, realm, users, threads, round);
            export(admin, !onFirst);
            double[] second = measuredRound(metrics, realm, users, threads, round);
            double[] a = onFirst ? first : second;
            double[] b = onFirst ? second : first;
            costs.add(100 * (1 - a[0] / b[0]));
            cpuCosts.add(100 * (a[1] / b[1] - 1));
            System.out.printf(Locale.ROOT, "round %d: export on %.1f logins/s (%.1f ms server CPU per login), off %.1f "
                    + "logins/s (%.1f ms), throughput cost %.1f %%, CPU cost %.1f %%%n", i + 1, a[0], a[1], b[0], b[1],
                    costs.get(i), cpuCosts.get(i));
            on += a[0];
            off += b[0];
            cpuOn += a[1];
            cpuOff += b[1];
        }
        export(admin, true);
        System.out.printf(Locale.ROOT, "mean: export on %.1f logins/s, off %.1f logins/s, throughput cost %.1f %% (median "
                + "round %.1f %%, rounds from %.1f %% to %.1f %%)%n", on / rounds, off / rounds, 100 * (1 - on / off),
                ServerMetrics.median(costs), costs.stream().min(Double::compare).orElseThrow(), costs.stream().max(Double::compare).orElseThrow());
        System.out.printf(Locale.ROOT, "server CPU per login: export on %.2f ms, off %.2f ms, cost %.1f %% (median round "
                + "%.1f %%, rounds from %.1f %% to %.1f %%); LOGIN events received: %d%n", cpuOn / rounds, cpuOff / rounds,
                100 * (cpuOn / cpuOff - 1), ServerMetrics.median(cpuCosts), cpuCosts.stream().min(Double::compare).orElseThrow(),
                cpuCosts.stream().max(Double::compare).orElseThrow(), RECEIVED.get());
        admin.sendAsAdmin("DELETE", api.resolve("routes/" + route), null);
    }

    /**
     * One round: logins/s, and the server's CPU time per login (Keycloak's {@code process_cpu_time_ns_total} on its
     * management port) which, unlike the rate, does not move with the load generator sharing the machine.
     */
    private static double[] measuredRound(URI metrics, URI realm, List<String> users, int threads, Duration round)
            throws Exception {
        double cpuBefore = ServerMetrics.value(metrics, "process_cpu_time_ns_total");
        long started = System.nanoTime();
        double rate = LoginThroughputBenchmark.run(realm, "acme-web", users, threads, round);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = ServerMetrics.value(metrics, "process_cpu_time_ns_total") - cpuBefore;
        return new double[] {rate, cpu / 1e6 / (rate * seconds)};
    }

    /** Turns the realm's ciam-export listener on or off, keeping its other listeners. */
    private static void export(AdminApi admin, boolean on) {
        ObjectNode config = (ObjectNode) admin.get("/realms/acme/events/config");
        List<String> listeners = new ArrayList<>();
        config.path("eventsListeners").forEach(listener -> listeners.add(listener.asText()));
        listeners.remove("ciam-export");
        if (on) {
            listeners.add("ciam-export");
        }
        config.putArray("eventsListeners").addAll(listeners.stream().map(Http.JSON.getNodeFactory()::textNode).toList());
        expect(admin.send("PUT", "/realms/acme/events/config", config), 204);
    }

    private static ObjectNode route(URI url, int batchSize) {
        ObjectNode definition = Http.JSON.createObjectNode();
        definition.put("sink", "webhook");
        definition.put("batchSize", batchSize);
        ObjectNode settings = definition.putObject("settings");
        settings.put("url", url.toString());
        settings.put("secret", "${vault.export-webhook-secret}");
        return definition;
    }

    private static JsonNode await(AdminApi admin, URI api, String route, java.util.function.Predicate<JsonNode> entry,
                                  java.util.function.Predicate<JsonNode> body, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            JsonNode backlog = Http.json(admin.sendAsAdmin("GET", api.resolve("backlog"), null).body());
            if (route == null && body.test(backlog)) {
                return backlog;
            }
            for (JsonNode item : backlog.path("routes")) {
                if (item.path("route").asText().equals(route) && entry.test(item)) {
                    return item;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("backlog condition not reached within " + timeout);
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** A webhook receiver on loopback that counts events (batches counted by their elements) and answers 200. */
    private static HttpServer receiver(int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                long count = body.length > 0 && body[0] == '[' ? Http.JSON.readTree(body).size() : 1;
                RECEIVED.addAndGet(count);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "receiver");
            thread.setDaemon(true); // the JVM ends with main, also after an error
            return thread;
        }));
        server.start();
        return server;
    }
}
