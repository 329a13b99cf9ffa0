package org.ciampack.it.production;

import java.time.Duration;
import org.ciampack.it.harness.PostgresServer;

/** Export rows past every retention, written straight into the database: what the dispatcher's purge must remove. */
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
            database.query("insert into ciam_event_outbox (id, realm_id, kind, event_type, client_id, order_key,"
                    + " event_time, fanned_out, payload) select 'expired-' || g, o.realm_id, o.kind, o.event_type,"
                    + " o.client_id, o.order_key, o.event_time - " + shift + " + g, true, o.payload" + copies);
            database.query("insert into ciam_event_delivery (id, realm_id, route_name, event_id, order_key,"
                    + " event_time, status, attempts, next_attempt_at, last_attempt_at, done_at) select"
                    + " gen_random_uuid()::text, o.realm_id, '" + route + "', 'expired-' || g, o.order_key,"
                    + " o.event_time - " + shift + " + g, 'DELIVERED', 1, o.event_time - " + shift
                    + ", o.event_time - " + shift + ", o.event_time - " + shift + " + g" + copies);
        }
        database.query("analyze ciam_event_outbox");
        database.query("analyze ciam_event_delivery");
    }

    /** How many of them are left, events and deliveries together. */
    public static long left(PostgresServer database) {
        return Long.parseLong(database.query("select (select count(*) from ciam_event_outbox where id like 'expired-%')"
                + " + (select count(*) from ciam_event_delivery where event_id like 'expired-%')").get(0));
    }
}
