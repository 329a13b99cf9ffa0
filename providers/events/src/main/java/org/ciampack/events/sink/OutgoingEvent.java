package org.ciampack.events.sink;

import java.time.Instant;

/**
 * One event as a sink sends it: its id (the idempotency key), time, syslog severity (RFC 5424, 0-7), type, and
 * the text its route's format made of it.
 */
public record OutgoingEvent(String id, Instant time, int severity, String type, String body, boolean json) {
}
