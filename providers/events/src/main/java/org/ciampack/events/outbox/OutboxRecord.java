package org.ciampack.events.outbox;

/**
 * An exported event as the outbox keeps it. {@code orderKey} groups the events that must reach a sink in order:
 * the user's id (for admin events, the user they changed), or the event's own id when no user is involved.
 */
public record OutboxRecord(String id, String realmId, String kind, String eventType, String clientId,
                           String orderKey, long eventTime, String payload) {

    public static final String USER = "user";
    public static final String ADMIN = "admin";

    public boolean isAdmin() {
        return ADMIN.equals(kind);
    }
}
