package org.ciampack.events.dispatch;

import java.time.Duration;
import org.keycloak.Config;

/**
 * Server-wide settings of the dispatcher, from the listener's SPI options
 * ({@code --spi-events-listener--ciam-export--<option>}).
 */
public record DispatcherSettings(boolean enabled, int threads, Duration pollInterval, Duration lease,
                                 Duration keepDelivered, Duration keepDead, Duration keepOutbox) {

    public static DispatcherSettings from(Config.Scope config) {
        return new DispatcherSettings(
                config.getBoolean("dispatcher-enabled", true),
                Math.max(1, config.getInt("dispatcher-threads", 4)),
                Duration.ofMillis(Math.max(50, config.getInt("poll-interval-ms", 1000))),
                Duration.ofSeconds(Math.max(5, config.getInt("lease-seconds", 30))),
                Duration.ofDays(Math.max(0, config.getInt("keep-delivered-days", 7))),
                Duration.ofDays(Math.max(1, config.getInt("keep-dead-days", 30))),
                Duration.ofDays(Math.max(0, config.getInt("keep-events-days", 7))));
    }
}
