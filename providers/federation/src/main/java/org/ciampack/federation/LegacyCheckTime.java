package org.ciampack.federation;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How long the legacy work of a password check takes in one realm (if it failed, to the end of the realm's own hash
 * after it, less that hash's typical time; see {@link EqualFailureTime}): the slowest recent one, followed at once
 * when a check is slower and let go with time (halved every {@link #HALF_LIFE}), never by faster checks, so that many
 * cheap formats do not wear down what one expensive format among them takes. A sample counts up to a ceiling: a longer
 * one was a stall (a pause of the JVM, a loaded host) and must not hold every failure in the realm as long.
 */
final class LegacyCheckTime {

    static final Duration HALF_LIFE = Duration.ofHours(1);

    private record Peak(long nanos, long at) {
    }

    private final AtomicReference<Peak> peak = new AtomicReference<>(new Peak(0, 0));
    private final long ceiling;

    LegacyCheckTime(long ceilingNanos) {
        this.ceiling = ceilingNanos;
    }

    /** A check that took {@code took} nanoseconds, at {@code now} (nanoTime). */
    void record(long took, long now) {
        long sample = Math.min(ceiling, Math.max(0, took));
        peak.updateAndGet(current -> sample >= decayed(current, now) ? new Peak(sample, now) : current);
    }

    /** The time at {@code now} (nanoTime). */
    long nanos(long now) {
        return decayed(peak.get(), now);
    }

    /**
     * How long a failure is held at {@code now}, legacy work included: the time and a quarter more. Checks of one
     * format vary (a memory-hard hash more than most, with the collector's work): were failures held only to the
     * slowest seen, each check slower still would show, and a new node's climb would show as a trend.
     */
    long held(long now) {
        long time = nanos(now);
        return time + time / 4;
    }

    private static long decayed(Peak peak, long now) {
        double halvings = Math.max(0, now - peak.at()) / (double) HALF_LIFE.toNanos();
        return (long) (peak.nanos() * Math.pow(0.5, halvings));
    }
}
