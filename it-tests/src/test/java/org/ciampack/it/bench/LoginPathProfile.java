package org.ciampack.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a path's pack rounds spend more than its stock rounds, per journey, from a recording of the server taken
 * while {@link LoginPathBenchmark} ran and the benchmark's output (each measured round prints its window; the first
 * round of each path and side is the warm-up and is left out): execution samples by thread and by component, GC
 * pause time and allocation per journey on each side, and the methods (inclusive) with the largest difference, first
 * the pack's own, then all. Differences of a few hundredths of a sample per journey are noise. For CPU, record with
 * async-profiler's {@code itimer} event written as JFR (docs/benchmarks.md, run W): its samples are CPU time, the
 * JVM's own threads included; JFR's sampler gives allocation and GC pauses but undercounts CPU.
 *
 * <pre>java ... LoginPathProfile server.jfr benchmark.log "code flow" [methods to list]</pre>
 */
public final class LoginPathProfile {

    private static final Pattern ROUND = Pattern.compile(
            "\\s+(.+), (pack|stock): ([\\d.]+) per second, [\\d.]+ ms CPU each \\[(\\d+)\\.\\.(\\d+)].*");

    private static final String PASSWORD_HASH = "password hash (BouncyCastle)";

    /** Package prefixes and the component they belong to, for {@link #component}. */
    private static final String[][] COMPONENTS = {
        {"org.h2.", "H2 database"}, {"org.hibernate.", "Hibernate"},
        {"org.bouncycastle.", PASSWORD_HASH},
        {"com.fasterxml.jackson.", "JSON (Jackson)"}, {"freemarker.", "templates (FreeMarker)"},
        {"org.infinispan.", "Infinispan"}, {"org.ciampack.", "the pack"}, {"org.keycloak.", "Keycloak"},
        {"org.apache.http.", "HTTP client"}, {"sun.security.", "TLS and crypto"}, {"javax.net.ssl.", "TLS and crypto"},
        {"io.netty.", "HTTP server (Netty, Vert.x)"}, {"io.vertx.", "HTTP server (Netty, Vert.x)"},
        {"org.jboss.resteasy.", "REST layer (RESTEasy, Quarkus)"}, {"io.quarkus.", "REST layer (RESTEasy, Quarkus)"},
        {"io.agroal.", "connection pool (Agroal)"}, {"com.arjuna.", "transactions (Narayana)"},
    };

    /** The measured rounds of one side: their windows and how many journeys they made. */
    private static final class Side {
        final List<long[]> windows = new ArrayList<>();
        /** Per window: journeys, garbage-collection milliseconds, collections, password-hash samples. */
        final List<double[]> perRound = new ArrayList<>();
        double journeys;
        double samples;
        double gcMillis;
        double allocatedMb;
        final Map<String, Double> inclusive = new HashMap<>();
        final Map<String, Double> allocatingMb = new HashMap<>();
        final Map<String, Double> samplesByThreads = new HashMap<>();
        final Map<String, Double> megabytesByThreads = new HashMap<>();
        final Map<String, Double> samplesByComponent = new HashMap<>();

        boolean covers(long millis) {
            return round(millis) != null;
        }

        double[] round(long millis) {
            for (int i = 0; i < windows.size(); i++) {
                if (millis >= windows.get(i)[0] && millis <= windows.get(i)[1]) {
                    return perRound.get(i);
                }
            }
            return null;
        }
    }

    public static void main(String[] args) throws IOException {
        String path = args[2];
        int top = args.length > 3 ? Integer.parseInt(args[3]) : 25;
        Map<String, Side> sides = Map.of("pack", new Side(), "stock", new Side());
        Set<String> warmedUp = new HashSet<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            Matcher round = ROUND.matcher(line);
            if (round.matches() && round.group(1).equals(path) && !warmedUp.add(round.group(2))) {
                Side side = sides.get(round.group(2));
                long from = Long.parseLong(round.group(4));
                long to = Long.parseLong(round.group(5));
                double journeys = Double.parseDouble(round.group(3)) * (to - from) / 1000.0;
                side.windows.add(new long[] {from, to});
                side.perRound.add(new double[] {journeys, 0, 0, 0});
                side.journeys += journeys;
            }
        }
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                read(recording.readEvent(), sides.values());
            }
        }
        Side pack = sides.get("pack");
        Side stock = sides.get("stock");
        System.out.printf(Locale.ROOT, "%s: %.0f pack and %.0f stock journeys%n", path, pack.journeys, stock.journeys);
        System.out.printf(Locale.ROOT, "execution samples per journey: pack %.3f, stock %.3f%n",
                pack.samples / pack.journeys, stock.samples / stock.journeys);
        System.out.printf(Locale.ROOT, "GC pause ms per journey: pack %.2f, stock %.2f%n",
                pack.gcMillis / pack.journeys, stock.gcMillis / stock.journeys);
        System.out.printf(Locale.ROOT, "MB allocated per journey (sampled): pack %.2f, stock %.2f%n",
                pack.allocatedMb / pack.journeys, stock.allocatedMb / stock.journeys);
        // A few long collections in some rounds are an episode, not a cost every journey pays: show each round.
        for (String name : List.of("pack", "stock")) {
            System.out.printf(Locale.ROOT, "GC per round, %s: %s%n", name, sides.get(name).perRound.stream()
                    .map(round -> String.format(Locale.ROOT, "%.0f collections %.2f ms/journey", round[2],
                            round[1] / round[0]))
                    .toList());
        }
        // The same hash on both sides: a difference here is the hash running slower beside other work, not more work.
        for (String name : List.of("pack", "stock")) {
            System.out.printf(Locale.ROOT, "password-hash samples per journey per round, %s: %s%n", name,
                    sides.get(name).perRound.stream()
                            .map(round -> String.format(Locale.ROOT, "%.2f", round[3] / round[0])).toList());
        }
        System.out.println("execution samples per journey, by threads:");
        differences(pack.samplesByThreads, pack.journeys, stock.samplesByThreads, stock.journeys, top, false);
        System.out.println("execution samples per journey, by threads and the component the sample ran in:");
        differences(pack.samplesByComponent, pack.journeys, stock.samplesByComponent, stock.journeys, top, false);
        System.out.println("MB allocated per journey, by threads:");
        differences(pack.megabytesByThreads, pack.journeys, stock.megabytesByThreads, stock.journeys, top, false);
        System.out.println("pack methods, samples per journey:");
        differences(pack.inclusive, pack.journeys, stock.inclusive, stock.journeys, top, true);
        System.out.println("all methods, pack minus stock, samples per journey:");
        differences(pack.inclusive, pack.journeys, stock.inclusive, stock.journeys, top, false);
        System.out.println("pack methods, MB allocated per journey:");
        differences(pack.allocatingMb, pack.journeys, stock.allocatingMb, stock.journeys, top, true);
        System.out.println("all methods, pack minus stock, MB allocated per journey:");
        differences(pack.allocatingMb, pack.journeys, stock.allocatingMb, stock.journeys, top, false);
    }

    private static void read(RecordedEvent event, Iterable<Side> sides) {
        long at = event.getStartTime().toEpochMilli();
        for (Side side : sides) {
            if (!side.covers(at)) {
                continue;
            }
            switch (event.getEventType().getName()) {
                case "jdk.GarbageCollection" -> {
                    // The pauses only: an old-generation cycle's duration is mostly concurrent marking.
                    double millis = event.getDuration("sumOfPauses").toNanos() / 1e6;
                    side.gcMillis += millis;
                    double[] round = side.round(at);
                    round[1] += millis;
                    round[2]++;
                }
                case "jdk.ObjectAllocationSample" -> {
                    double megabytes = event.getLong("weight") / 1e6;
                    side.allocatedMb += megabytes;
                    side.megabytesByThreads.merge(threadKind(event), megabytes, Double::sum);
                    if (event.getStackTrace() != null) {
                        countFrames(event, side.allocatingMb, megabytes);
                    }
                }
                case "jdk.ExecutionSample" -> {
                    if (event.getStackTrace() != null) {
                        side.samples++;
                        side.samplesByThreads.merge(threadKind(event), 1.0, Double::sum);
                        String component = component(event);
                        side.samplesByComponent.merge(threadKind(event) + ": " + component, 1.0, Double::sum);
                        if (component.equals(PASSWORD_HASH)) {
                            side.round(at)[3]++;
                        }
                        countFrames(event, side.inclusive, 1.0);
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * The kind of thread an event ran in: Keycloak's request workers, the pack's export threads, H2's own, or the
     * thread's name without its number. Work outside the requests slows both sides of a together round alike.
     */
    private static String threadKind(RecordedEvent event) {
        RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread")
                : event.getThread();
        String name = thread == null || thread.getJavaName() == null ? "(unnamed)" : thread.getJavaName();
        if (name.startsWith("executor-thread")) {
            return "requests (executor-thread)";
        }
        if (name.startsWith("vert.x-eventloop")) {
            return "requests (vert.x event loop)";
        }
        if (name.startsWith("ciam-export")) {
            return "export dispatcher (" + name.replaceAll("-\\d+$", "") + ")";
        }
        if (name.contains("MVStore") || name.startsWith("H2")) {
            return "H2 (" + name + ")";
        }
        return name.replaceAll("[-# ]?\\d+$", "").replaceAll("-\\d+-", "-N-"); // pool-12-thread: pool-N-thread
    }

    /**
     * The part of the server a sample ran in: the innermost frame that belongs to a known component (so a JDK map
     * inside H2 counts as H2), else the JVM's own work named by its native frames (garbage collection, the JIT
     * compiler, as async-profiler records them), else the leaf's package.
     */
    private static String component(RecordedEvent event) {
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (String[] component : COMPONENTS) {
                if (type.startsWith(component[0])) {
                    return component[1];
                }
            }
        }
        // The compiler's own frames first: its code generation names G1 too (its write barriers).
        if (frames.stream().anyMatch(frame -> frame.getMethod().getName().contains("CompileBroker"))) {
            return "JIT compiler";
        }
        for (RecordedFrame frame : frames) {
            String method = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
            if (method.contains("G1") || method.contains("GangWorker") || method.contains("ConcurrentGCThread")) {
                return "garbage collection";
            }
        }
        return frames.isEmpty() ? "(no frames)" : "other: " + frames.get(0).getMethod().getType().getName()
                .replaceAll("\\.[^.]*$", "");
    }

    /** Adds the amount to every method on the event's stack, once per method (inclusive). */
    private static void countFrames(RecordedEvent event, Map<String, Double> perMethod, double amount) {
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            String method = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
            if (seen.add(method)) {
                perMethod.merge(method, amount, Double::sum);
            }
        }
    }

    private static void differences(Map<String, Double> pack, double packJourneys, Map<String, Double> stock,
            double stockJourneys, int top, boolean packOnly) {
        Set<String> methods = new HashSet<>(pack.keySet());
        methods.addAll(stock.keySet());
        methods.stream()
                .filter(method -> !packOnly || method.startsWith("org.ciampack."))
                .map(method -> Map.entry(method, new double[] {
                        pack.getOrDefault(method, 0.0) / packJourneys,
                        stock.getOrDefault(method, 0.0) / stockJourneys}))
                .sorted((a, b) -> Double.compare(b.getValue()[0] - b.getValue()[1], a.getValue()[0] - a.getValue()[1]))
                .limit(top)
                .forEach(entry -> System.out.printf(Locale.ROOT, "  %+.3f  (%.3f / %.3f)  %s%n",
                        entry.getValue()[0] - entry.getValue()[1], entry.getValue()[0], entry.getValue()[1], entry.getKey()));
    }
}
