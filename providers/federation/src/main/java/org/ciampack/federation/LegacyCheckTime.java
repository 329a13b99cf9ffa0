package org.ciampack.federation;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the legacy part of a password check takes in one realm: the slowest of the recent ones, followed at once
 * when one is slower and let go slowly when they are faster (each faster one takes 1/{@value #RELEASE} of the gap),
 * so that one expensive format among cheap ones still sets the time for a while. A sample counts up to a ceiling: a
 * longer one was a stall (a pause of the JVM, a loaded host), and must not hold every failure in the realm as long.
 */
final class LegacyCheckTime {

    static final int RELEASE = 64;

    private final AtomicLong nanos = new AtomicLong();
    private final long ceiling;

    LegacyCheckTime(long ceilingNanos) {
        this.ceiling = ceilingNanos;
    }

    void record(long took) {
        long sample = Math.min(ceiling, Math.max(0, took));
        nanos.accumulateAndGet(sample, (slowest, next) -> next >= slowest ? next : slowest - (slowest - next) / RELEASE);
    }

    long nanos() {
        return nanos.get();
    }

    /** What a failure that already spent {@code spent} on legacy work still owes. */
    long owed(long spent) {
        return Math.max(0, nanos() - Math.max(0, spent));
    }
}
