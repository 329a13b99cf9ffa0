package org.ciampack.events.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The time limits a route may set for its receiver: a connection (and, over TLS, its handshake) within
 * {@value #MAX_CONNECT_MILLIS} ms per address (two of a host's addresses at most), an answer (or, for syslog, which
 * has none, the round written) within {@value #MAX_READ_MILLIS} ms. A send over HTTP is aborted when its answer is not
 * in whole by then, however the receiver trickles it. A route's rounds and an admin's test delivery wait at most that
 * long for a receiver that accepts a connection and then says nothing, or stops reading.
 */
public final class SinkTimeouts {

    public static final String CONNECT = "connectTimeoutMs";
    public static final String READ = "readTimeoutMs";
    public static final String WRITE = "writeTimeoutMs";
    public static final int MIN_MILLIS = 100;
    public static final int MAX_CONNECT_MILLIS = 30_000;
    public static final int MAX_READ_MILLIS = 60_000;

    private SinkTimeouts() {
    }

    /** Sentences for each of {@code fields} that is set and is not a whole number of milliseconds within bounds. */
    static void check(ObjectNode settings, List<String> fields, List<String> problems) {
        for (String field : fields) {
            JsonNode value = settings.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            int max = CONNECT.equals(field) ? MAX_CONNECT_MILLIS : MAX_READ_MILLIS;
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < MIN_MILLIS || value.asInt() > max) {
                problems.add("settings." + field + " must be a whole number of milliseconds from " + MIN_MILLIS
                        + " to " + max);
            }
        }
    }
}
