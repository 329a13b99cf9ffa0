package org.ciampack.it.harness;

import java.net.URI;

/**
 * An already running Keycloak with the pack and the demo realm, e.g. staging: the suite only talks to it.
 * Its mail must reach a GreenMail whose API is given, or the e-mail tests fail saying so.
 */
final class RemoteKeycloak implements ServerUnderTest {

    private final URI baseUrl;
    private final AdminApi admin;
    private final Mailbox mailbox;

    private RemoteKeycloak(URI baseUrl, AdminApi admin, Mailbox mailbox) {
        this.baseUrl = baseUrl;
        this.admin = admin;
        this.mailbox = mailbox;
    }

    static RemoteKeycloak connect() {
        URI baseUrl = URI.create(Settings.required("ciam.it.remote.url").replaceAll("/+$", ""));
        AdminApi admin = new AdminApi(baseUrl, Settings.required("ciam.it.remote.admin-user"),
                Settings.required("ciam.it.remote.admin-password"));
        admin.get("/serverinfo"); // fail now, clearly, when the URL or the credentials are wrong
        String mailApi = Settings.optional("ciam.it.remote.mail-api");
        return new RemoteKeycloak(baseUrl, admin, mailApi.isEmpty() ? null : new Mailbox(URI.create(mailApi)));
    }

    @Override
    public URI baseUrl() {
        return baseUrl;
    }

    @Override
    public AdminApi admin() {
        return admin;
    }

    @Override
    public Mailbox mailbox() {
        if (mailbox == null) {
            throw new IllegalStateException("This test reads the realm's mail: set -Dciam.it.remote.mail-api to the "
                    + "GreenMail API that the remote realm's SMTP server delivers to.");
        }
        return mailbox;
    }

    @Override
    public String logTail(int lines) {
        return "(remote server " + baseUrl + ": read its log where it runs)";
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
