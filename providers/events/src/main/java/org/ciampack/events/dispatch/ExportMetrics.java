package org.ciampack.events.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The export's figures on Keycloak's metrics endpoint: per route the backlog, the age of its oldest pending event
 * and its dead events (gauges, refreshed by the dispatcher every few seconds); delivered, failed, dead and throttled
 * events (counters); per sink the time a delivery takes and the lag from event to delivery (timers with histogram
 * buckets).
 */
final class ExportMetrics {

    private static final Meter.MeterProvider<Counter> DELIVERED = counter("ciam.export.delivered", "Events delivered");
    private static final Meter.MeterProvider<Counter> FAILED = counter("ciam.export.failed",
            "Delivery attempts that failed and will be retried");
    private static final Meter.MeterProvider<Counter> DEAD = counter("ciam.export.dead",
            "Events given up (after the route's attempts or age, or rejected by the receiver)");
    private static final Meter.MeterProvider<Counter> THROTTLED = counter("ciam.export.throttled",
            "Events not exported because the route's per-minute limit for their type was reached");
    private static final Meter.MeterProvider<Timer> SEND_TIME = histogram(Timer.builder("ciam.export.delivery")
            .description("Time one send to a sink takes (a request, or a batch)"),
            Duration.ofMillis(1), Duration.ofSeconds(30));
    /** Up to a day: a receiver that was down for hours gets its backlog late, and an SLO alert must see how late. */
    private static final Meter.MeterProvider<Timer> LAG = histogram(Timer.builder("ciam.export.lag")
            .description("Time from an event to its delivery"), Duration.ofMillis(10), Duration.ofDays(1));

    private static final Map<Tags, RouteGauges> GAUGES = new ConcurrentHashMap<>();

    private ExportMetrics() {
    }

    /**
     * A timer as Prometheus histogram buckets between the bounds: every node counts into the same buckets, so one
     * {@code histogram_quantile} over their sum gives a cluster's p95 (as the login steps' timers do).
     */
    private static Meter.MeterProvider<Timer> histogram(Timer.Builder timer, Duration smallest, Duration largest) {
        return timer.publishPercentileHistogram().minimumExpectedValue(smallest).maximumExpectedValue(largest)
                .withRegistry(Metrics.globalRegistry);
    }

    private static Meter.MeterProvider<Counter> counter(String name, String description) {
        return Counter.builder(name).description(description).withRegistry(Metrics.globalRegistry);
    }

    static void delivered(String realm, String route, String sink, int count) {
        DELIVERED.withTags("realm", realm, "route", route, "sink", sink).increment(count);
    }

    static void failed(String realm, String route, String sink, int count) {
        FAILED.withTags("realm", realm, "route", route, "sink", sink).increment(count);
    }

    static void dead(String realm, String route, String sink, int count) {
        DEAD.withTags("realm", realm, "route", route, "sink", sink).increment(count);
    }

    static void throttled(String realm, String route) {
        THROTTLED.withTags("realm", realm, "route", route).increment();
    }

    static void sent(String sink, Duration took) {
        SEND_TIME.withTags("sink", sink).record(took);
    }

    static void lag(String sink, Duration lag) {
        LAG.withTags("sink", sink).record(lag);
    }

    /** Sets the gauges of a route: pending events, seconds since its oldest pending event, dead events. */
    static void backlog(String realm, String route, long pending, long oldestPendingSeconds, long dead) {
        RouteGauges gauges = GAUGES.computeIfAbsent(Tags.of("realm", realm, "route", route), RouteGauges::register);
        gauges.values[0].set(pending);
        gauges.values[1].set(oldestPendingSeconds);
        gauges.values[2].set(dead);
    }

    /**
     * Gives a route that has none yet its gauges, at zero (a route just opened has nothing pending), and leaves a
     * route's figures as they are otherwise: the periodic refresh counts them.
     */
    static void opened(String realm, String route) {
        GAUGES.computeIfAbsent(Tags.of("realm", realm, "route", route), RouteGauges::register);
    }

    /** Routes not seen in the last refresh (removed, or their realm removed) lose their gauges. */
    static void removeAllBut(java.util.Set<Tags> seen) {
        GAUGES.entrySet().removeIf(entry -> {
            if (seen.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().gauges.forEach(Metrics.globalRegistry::remove);
            return true;
        });
    }

    /** The three gauges of one route and the values they read. */
    private record RouteGauges(AtomicLong[] values, java.util.List<Gauge> gauges) {

        static RouteGauges register(Tags tags) {
            AtomicLong[] values = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            return new RouteGauges(values, java.util.List.of(
                    Gauge.builder("ciam.export.backlog", values[0], AtomicLong::get).tags(tags)
                            .description("Events waiting for delivery").register(Metrics.globalRegistry),
                    Gauge.builder("ciam.export.oldest.pending.seconds", values[1], AtomicLong::get).tags(tags)
                            .description("Age of the oldest event waiting for delivery").register(Metrics.globalRegistry),
                    Gauge.builder("ciam.export.dead.events", values[2], AtomicLong::get).tags(tags)
                            .description("Events parked as dead, waiting for a replay").register(Metrics.globalRegistry)));
        }
    }

    static Tags tags(String realm, String route) {
        return Tags.of("realm", realm, "route", route);
    }
}
