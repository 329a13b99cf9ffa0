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
 * events (counters); per sink the time a delivery takes and the lag from event to delivery (timers).
 */
final class ExportMetrics {

    private static final Meter.MeterProvider<Counter> DELIVERED = counter("ciam.export.delivered", "Events delivered");
    private static final Meter.MeterProvider<Counter> FAILED = counter("ciam.export.failed",
            "Delivery attempts that failed and will be retried");
    private static final Meter.MeterProvider<Counter> DEAD = counter("ciam.export.dead",
            "Events given up (after the route's attempts or age, or rejected by the receiver)");
    private static final Meter.MeterProvider<Counter> THROTTLED = counter("ciam.export.throttled",
            "Events not exported because the route's per-minute limit for their type was reached");
    private static final Meter.MeterProvider<Timer> SEND_TIME = Timer.builder("ciam.export.delivery")
            .description("Time one send to a sink takes (a request, or a batch)").withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Timer> LAG = Timer.builder("ciam.export.lag")
            .description("Time from an event to its delivery").withRegistry(Metrics.globalRegistry);

    private static final Map<Tags, AtomicLong[]> GAUGES = new ConcurrentHashMap<>();

    private ExportMetrics() {
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
        AtomicLong[] values = GAUGES.computeIfAbsent(Tags.of("realm", realm, "route", route), tags -> {
            AtomicLong[] created = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            Gauge.builder("ciam.export.backlog", created[0], AtomicLong::get).tags(tags)
                    .description("Events waiting for delivery").register(Metrics.globalRegistry);
            Gauge.builder("ciam.export.oldest.pending.seconds", created[1], AtomicLong::get).tags(tags)
                    .description("Age of the oldest event waiting for delivery").register(Metrics.globalRegistry);
            Gauge.builder("ciam.export.dead.events", created[2], AtomicLong::get).tags(tags)
                    .description("Events parked as dead, waiting for a replay").register(Metrics.globalRegistry);
            return created;
        });
        values[0].set(pending);
        values[1].set(oldestPendingSeconds);
        values[2].set(dead);
    }

    /** Routes not seen in the last refresh show zero rather than their last figures. */
    static void zeroAllBut(java.util.Set<Tags> seen) {
        GAUGES.forEach((tags, values) -> {
            if (!seen.contains(tags)) {
                for (AtomicLong value : values) {
                    value.set(0);
                }
            }
        });
    }

    static Tags tags(String realm, String route) {
        return Tags.of("realm", realm, "route", route);
    }
}
