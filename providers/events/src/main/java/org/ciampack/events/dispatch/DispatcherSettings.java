package org.ciampack.events.dispatch;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ciampack.common.AddressPolicy;
import org.jboss.logging.Logger;
import org.keycloak.Config;

/**
 * Server-wide settings of the export, from the listener's SPI options
 * ({@code --spi-events-listener--ciam-export--<option>}): the dispatcher's, the destinations routes may reach beyond
 * public addresses ({@code allowed-destinations}, CIDR list) and whether master-realm routes may take other realms'
 * events ({@code cross-realm-routes}), how many events one range replay may queue ({@code max-replay-events}) and
 * how many due events a route's delivery round reads at a time ({@code round-events}).
 */
public record DispatcherSettings(boolean enabled, int threads, Duration pollInterval, Duration lease,
                                 Duration keepDelivered, Duration keepDead, Duration keepOutbox,
                                 AddressPolicy destinations, boolean crossRealmRoutes, int maxReplayEvents,
                                 int roundEvents) {

    /** Without the listener's options (e.g. in a test): the defaults, nothing internal reachable, no cross-realm routes. */
    public static final DispatcherSettings DEFAULTS = new DispatcherSettings(true, 4, Duration.ofSeconds(1),
            Duration.ofSeconds(30), Duration.ZERO, Duration.ofDays(30), Duration.ofDays(7),
            AddressPolicy.DEFAULT, false, 100_000, 1000);

    public static DispatcherSettings from(Config.Scope config) {
        String[] allowed = config.getArray("allowed-destinations");
        List<String> cidrs = allowed == null ? List.of()
                : Arrays.stream(allowed).flatMap(entry -> Arrays.stream(entry.split(","))).toList();
        return new DispatcherSettings(
                config.getBoolean("dispatcher-enabled", true),
                Math.max(1, config.getInt("dispatcher-threads", 4)),
                Duration.ofMillis(Math.max(50, config.getInt("poll-interval-ms", 1000))),
                Duration.ofSeconds(Math.max(5, config.getInt("lease-seconds", 30))),
                Duration.ofDays(Math.max(0, config.getInt("keep-delivered-days", 0))),
                Duration.ofDays(Math.max(1, config.getInt("keep-dead-days", 30))),
                Duration.ofDays(Math.max(0, config.getInt("keep-events-days", 7))),
                AddressPolicy.allowing(cidrs),
                config.getBoolean("cross-realm-routes", false),
                Math.max(1, config.getInt("max-replay-events", 100_000)),
                roundEvents(config.getInt("round-events", 1000)));
    }

    private static int roundEvents(int asked) {
        int held = Math.min(10_000, Math.max(10, asked));
        if (held != asked) {
            Logger.getLogger(DispatcherSettings.class).warnf("Event export: round-events=%d is outside 10 to 10000; "
                    + "rounds read %d events at a time", asked, held);
        }
        return held;
    }
}
