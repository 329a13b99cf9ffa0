package org.ciampack.it.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciampack.it.production.PreviousReleaseDatabase.APP;
import static org.ciampack.it.production.PreviousReleaseDatabase.CUSTOMER;
import static org.ciampack.it.production.PreviousReleaseDatabase.LOGINS;
import static org.ciampack.it.production.PreviousReleaseDatabase.NETWORK;
import static org.ciampack.it.production.PreviousReleaseDatabase.PASSWORD;
import static org.ciampack.it.production.PreviousReleaseDatabase.ROUTE;

import java.net.URI;
import java.net.http.HttpRequest;
import org.ciampack.it.export.ExportRoutes;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.PostgresServer;
import org.ciampack.it.harness.Settings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Writes {@link PreviousReleaseDatabase#file()}: not part of any suite; run when the previous release changes, with
 * that release's pack unzipped over Keycloak's distribution:
 * <pre>
 * git worktree add /tmp/ciam-previous &lt;release commit&gt; &amp;&amp; (cd /tmp/ciam-previous &amp;&amp; ./mvnw -q -DskipTests package -pl docker -am)
 * mkdir /tmp/ciam-previous-home &amp;&amp; unzip -q keycloak-quarkus-dist-26.7.3.zip -d /tmp/ciam-previous-home
 * unzip -qo /tmp/ciam-previous/docker/target/ciam-pack-*.zip -d /tmp/ciam-previous-home/keycloak-26.7.3
 * ./mvnw verify -Pupgrade-fixture -pl it-tests -am -Dciam.it.previous.home=/tmp/ciam-previous-home/keycloak-26.7.3
 * </pre>
 */
@Tag("upgrade-fixture")
class PreviousReleaseDatabaseWriterIT {

    @Test
    void writeTheDatabaseThePreviousReleaseLeaves() {
        try (PostgresServer database = PostgresServer.start()) {
            LocalKeycloak node = LocalKeycloak.startOptimized("previous-release",
                    Settings.existingPath("ciam.it.previous.home"), database, LocalKeycloak.riskOptions());
            try {
                AdminApi admin = node.admin();
                admin.createUser("acme", CUSTOMER, PASSWORD, true);
                ExportRoutes routes = ExportRoutes.ofReleaseBeforeTheAdminApiMoved(node, admin);
                routes.create(ROUTE, ExportRoutes.loginWebhookRoute(URI.create("http://127.0.0.1:9/crm")));
                routes.post("routes/" + ROUTE + "/pause");

                String token = null;
                for (int i = 0; i < LOGINS; i++) {
                    OidcCodeFlow app = new OidcCodeFlow(node.realmUrl("acme"), "acme-web", APP)
                            .header("X-Forwarded-For", NETWORK);
                    Attempt attempt = Attempt.fresh();
                    token = app.tokens(app.signIn(attempt, CUSTOMER, PASSWORD).code(), attempt.codeVerifier())
                            .get("access_token").asText();
                }
                for (String decision : new String[] {"granted", "withdrawn"}) {
                    int status = Http.send(HttpRequest.newBuilder(
                                    URI.create(node.realmUrl("acme") + "/ciam-consent/me/marketing_email"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(
                                    "{\"decision\":\"" + decision + "\",\"version\":1}"))
                            .build()).statusCode();
                    assertThat(status).isEqualTo(200);
                }
            } finally {
                node.close(); // stopped before the dump, as an operator stops every node before an upgrade
            }
            database.dump(PreviousReleaseDatabase.file());
        }
    }
}
