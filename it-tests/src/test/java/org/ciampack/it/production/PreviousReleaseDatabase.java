package org.ciampack.it.production;

import java.net.URI;
import java.nio.file.Path;
import org.ciampack.it.harness.PostgresServer;
import org.ciampack.it.harness.Settings;

/**
 * The database that the previous release of the pack left behind, which {@link UpgradeIT} upgrades: written by
 * {@link PreviousReleaseDatabaseWriterIT} from that release's pack on Keycloak 26.7.3 and PostgreSQL, committed as
 * gzipped SQL. What it holds is named here, so the writer and the test agree.
 */
final class PreviousReleaseDatabase {

    /** The commit of the previous release (the pack as landed before the schema changes of 2026-11-29). */
    static final String RELEASE = "34a693e";
    /** Its changesets: the upgrade adds the others. */
    static final String[] CHANGESETS = {"ciam-consent-1", "ciam-events-1", "ciam-events-2", "ciam-events-3",
            "ciam-profiling-1", "ciam-risk-1", "ciam-risk-2"};

    /** A customer who signed in {@link #LOGINS} times from {@link #NETWORK} and changed a consent twice. */
    static final String CUSTOMER = "returning@upgrade.acme.test";
    static final String PASSWORD = "Upgrade-Password-42";
    static final String NETWORK = "198.51.100.40";
    static final int LOGINS = 3;
    /** A paused export route with the customer's logins still queued for it. */
    static final String ROUTE = "upgrade-crm";
    static final URI APP = URI.create("http://localhost:5173/callback");

    private PreviousReleaseDatabase() {
    }

    /**
     * Restores the database into an empty {@code keycloak} database, its pack's times moved as if the previous
     * release had stopped a minute ago: the test then reads the same ages of history and queue on any day.
     */
    static void restore(PostgresServer database) {
        database.restore(file());
        long shift = System.currentTimeMillis() - 60_000
                - Long.parseLong(database.query("select max(login_time) from ciam_login_history").get(0));
        database.query("update ciam_login_history set login_time = login_time + " + shift);
        database.query("update ciam_consent_receipt set decided_at = decided_at + " + shift);
        database.query("update ciam_event_outbox set event_time = event_time + " + shift);
        database.query("update ciam_event_delivery set event_time = event_time + " + shift + ", next_attempt_at = "
                + "next_attempt_at + " + shift + ", last_attempt_at = last_attempt_at + " + shift
                + ", done_at = done_at + " + shift);
    }

    static Path file() {
        return Settings.existingPath("ciam.it.project.root")
                .resolve("it-tests/src/test/resources/upgrade/previous-release.sql.gz");
    }
}
