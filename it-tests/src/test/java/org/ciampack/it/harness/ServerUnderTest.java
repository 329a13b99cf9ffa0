package org.ciampack.it.harness;

import java.net.URI;

/**
 * The Keycloak the suite talks to, wherever it runs: what tests need to reach it, administer it and read the
 * mail it sends.
 */
public interface ServerUnderTest extends AutoCloseable {

    /** Base URL, e.g. {@code http://localhost:41231}, without a trailing slash. */
    URI baseUrl();

    AdminApi admin();

    Mailbox mailbox();

    /** Keycloak's metrics in the Prometheus text format, from its management interface. */
    default String metrics() {
        throw new UnsupportedOperationException("this suite cannot reach the server's management port; tag the "
                + "test 'local-distribution'");
    }

    /** How many files and sockets the server process holds open (Linux). */
    default long openFiles() {
        throw new UnsupportedOperationException("only for a server this suite started; tag the test 'local-distribution'");
    }

    /** The last lines of the server's log, or a note saying where it is when the suite cannot see it. */
    String logTail(int lines);

    default URI realmUrl(String realm) {
        return URI.create(baseUrl() + "/realms/" + realm);
    }

    /** A realm in Keycloak's admin API, where the pack's admin APIs are ({@code .../ciam-consent}, ...). */
    default URI adminRealmUrl(String realm) {
        return URI.create(baseUrl() + "/admin/realms/" + realm);
    }

    @Override
    void close();
}
