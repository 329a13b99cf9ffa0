package org.ciampack.federation;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a legacy password check takes in one realm: the slowest of the recent checks, followed at once when a
 * check is slower and let go slowly when checks are faster (each faster one takes 1/{@value #RELEASE} of the gap),
 * so that one expensive format among cheap ones, or a check slowed by load, still sets the time for a while.
 */
final class LegacyCheckTime {

    static final int RELEASE = 256;

    private final AtomicLong nanos = new AtomicLong();

    void record(long took) {
        long sample = Math.max(0, took);
        nanos.accumulateAndGet(sample, (slowest, next) -> next >= slowest ? next : slowest - (slowest - next) / RELEASE);
    }

    long nanos() {
        return nanos.get();
    }
}
