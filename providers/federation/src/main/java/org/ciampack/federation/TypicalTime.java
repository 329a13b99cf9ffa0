package org.ciampack.federation;

import java.util.Arrays;

/** What something usually takes: the middle of its last few times, which one slow run does not move. */
final class TypicalTime {

    private static final int KEPT = 9;

    private final long[] recent = new long[KEPT];
    private int count;
    private int next;

    synchronized void record(long nanos) {
        recent[next] = Math.max(0, nanos);
        next = (next + 1) % KEPT;
        count = Math.min(KEPT, count + 1);
    }

    /** The median of the times kept; 0 before the first. */
    synchronized long nanos() {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        return sorted[count / 2];
    }
}
