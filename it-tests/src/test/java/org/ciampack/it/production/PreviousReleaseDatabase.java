package org.ciampack.it.production;

import java.net.URI;
import java.nio.file.Path;
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

    static Path file() {
        return Settings.existingPath("ciam.it.project.root")
                .resolve("it-tests/src/test/resources/upgrade/previous-release.sql.gz");
    }
}
