package org.ciampack.federation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker for the legacy database: after a failure, calls fail at once for a pause instead of each
 * waiting for its own timeout, so a legacy database that is down never slows the server (the admin console, local
 * customers) down; the first call after the pause tries again.
 */
final class Outage {

    private final Duration pause;
    private final Clock clock;
    private volatile Instant until = Instant.MIN;
    private volatile String cause = "";

    Outage(Duration pause, Clock clock) {
        this.pause = pause;
        this.clock = clock;
    }

    /** Throws while the pause after the last failure lasts. */
    void check() {
        if (clock.instant().isBefore(until)) {
            throw new LegacyStoreUnavailable("legacy database unavailable since a failure (" + cause + "); next try at "
                    + until, null);
        }
    }

    void failed(String why) {
        cause = why;
        until = clock.instant().plus(pause);
    }

    void succeeded() {
        until = Instant.MIN;
    }
}
