package org.ciampack.events.dispatch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Flood control of a route: at most {@code perMinute} events of one type per minute (a token bucket refilled
 * continuously), so a LOGIN_ERROR storm cannot drown a SIEM or starve the route's other events. Counted per node:
 * with n nodes a route gets up to n times the figure.
 */
final class Throttle {

    private final int perMinute;
    private final ConcurrentMap<String, double[]> buckets = new ConcurrentHashMap<>();

    Throttle(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Whether one more event of {@code type} may go at {@code nowMillis}. */
    boolean admit(String type, long nowMillis) {
        if (perMinute <= 0) {
            return true;
        }
        double[] bucket = buckets.computeIfAbsent(type, key -> new double[] {perMinute, nowMillis});
        synchronized (bucket) {
            // Request threads read the clock before they get here: a time before the bucket's own refills nothing.
            double refill = (nowMillis - bucket[1]) * perMinute / 60_000.0;
            bucket[0] = Math.min(perMinute, bucket[0] + Math.max(0, refill));
            bucket[1] = Math.max(bucket[1], nowMillis);
            if (bucket[0] >= 1) {
                bucket[0] -= 1;
                return true;
            }
            return false;
        }
    }

    /** Whether it limits anything (a route without {@code maxPerMinute} has no limit). */
    boolean limits() {
        return perMinute > 0;
    }

    /** Gives back the token of an event that was not written after all (its transaction rolled back). */
    void giveBack(String type) {
        double[] bucket = perMinute <= 0 ? null : buckets.get(type);
        if (bucket != null) {
            synchronized (bucket) {
                bucket[0] = Math.min(perMinute, bucket[0] + 1);
            }
        }
    }
}
