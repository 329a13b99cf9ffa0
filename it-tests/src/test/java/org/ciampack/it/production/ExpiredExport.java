package org.ciampack.it.production;

import java.time.Duration;
import org.ciampack.it.harness.PostgresServer;

/**
 * Export rows the dispatcher's purge must remove, written straight into the database: rows past every retention, and
 * rows of a route that no realm defines any more.
 */
public final class ExpiredExport {

    private static final int CHUNK = 100_000;

    private ExpiredExport() {
    }

    /**
     * {@code count} copies of a real outbox event ({@code modelEventId}) from {@code daysAgo} days ago, with ids
     * {@code expired-<n>}, fanned out and delivered to {@code route}.
     */
    public static void seed(PostgresServer database, String modelEventId, String route, int count, int daysAgo) {
        long shift = Duration.ofDays(daysAgo).toMillis();
        for (int start = 1; start <= count; start += CHUNK) {
            String copies = " from generate_series(" + start + ", " + Math.min(count, start + CHUNK - 1)
                    + ") g, ciam_event_outbox o where o.id = '" + modelEventId + "'";
            copyEvents(database, "expired-", shift, copies);
            database.query("insert into ciam_event_delivery (id, realm_id, route_name, event_id, order_key,"
                    + " event_time, status, attempts, next_attempt_at, last_attempt_at, done_at) select"
                    + " gen_random_uuid()::text, o.realm_id, '" + route + "', 'expired-' || g, o.order_key,"
                    + " o.event_time - " + shift + " + g, 'DELIVERED', 1, o.event_time - " + shift
                    + ", o.event_time - " + shift + ", o.event_time - " + shift + " + g" + copies);
        }
        database.query("analyze ciam_event_outbox");
        database.query("analyze ciam_event_delivery");
    }

    /**
     * {@code count} copies of a real outbox event from {@code daysAgo} days ago (within the events' retention), with
     * ids {@code removed-<n>}, each still pending for {@code route}, which its realm no longer defines (as after a
     * realm import without it), and the route's state row.
     */
    public static void seedOfRemovedRoute(PostgresServer database, String modelEventId, String route, int count,
                                          int daysAgo) {
        long shift = Duration.ofDays(daysAgo).toMillis();
        String copies = " from generate_series(1, " + count + ") g, ciam_event_outbox o where o.id = '" + modelEventId + "'";
        copyEvents(database, "removed-", shift, copies);
        database.query("insert into ciam_event_delivery (id, realm_id, route_name, event_id, order_key, event_time,"
                + " status, attempts, next_attempt_at) select gen_random_uuid()::text, o.realm_id, '" + route
                + "', 'removed-' || g, o.order_key, o.event_time - " + shift + " + g, 'PENDING', 3, o.event_time"
                + copies);
        database.query("insert into ciam_export_route_state (realm_id, route_name, lease_until) select o.realm_id, '"
                + route + "', 0 from ciam_event_outbox o where o.id = '" + modelEventId + "'");
    }

    /** A state row of a route the realm does not define (yet, on this node), whose lease a node holds now. */
    public static void seedLeasedStateOfUndefinedRoute(PostgresServer database, String modelEventId, String route) {
        database.query("insert into ciam_export_route_state (realm_id, route_name, lease_owner, lease_until) select"
                + " o.realm_id, '" + route + "', 'another-node', (extract(epoch from now()) * 1000)::bigint + 600000"
                + " from ciam_event_outbox o where o.id = '" + modelEventId + "'");
    }

    /** Fanned-out copies of the model event, {@code shift} ms earlier, with ids {@code <prefix><n>}. */
    private static void copyEvents(PostgresServer database, String prefix, long shift, String copies) {
        database.query("insert into ciam_event_outbox (id, realm_id, kind, event_type, client_id, order_key,"
                + " event_time, fanned_out, payload) select '" + prefix + "' || g, o.realm_id, o.kind, o.event_type,"
                + " o.client_id, o.order_key, o.event_time - " + shift + " + g, true, o.payload" + copies);
    }

    /** How many deliveries and state rows of the route are left. */
    public static long leftOfRoute(PostgresServer database, String route) {
        return Long.parseLong(database.query("select (select count(*) from ciam_event_delivery where route_name = '"
                + route + "') + (select count(*) from ciam_export_route_state where route_name = '" + route + "')")
                .get(0));
    }

    /** How many of the events seeded for a removed route are left. */
    public static long eventsOfRemovedRoute(PostgresServer database) {
        return Long.parseLong(database.query("select count(*) from ciam_event_outbox where id like 'removed-%'").get(0));
    }

    /** How many of them are left, events and deliveries together. */
    public static long left(PostgresServer database) {
        return Long.parseLong(database.query("select (select count(*) from ciam_event_outbox where id like 'expired-%')"
                + " + (select count(*) from ciam_event_delivery where event_id like 'expired-%')").get(0));
    }
}
