package org.ciampack.it.production;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ciampack.it.consent.Ledgers;
import org.ciampack.it.export.LargeProfileExport;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.MariaDbServer;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keycloak built for MariaDB as its own database, with the pack: the changelogs apply, and an event as long as a
 * MariaDB {@code TEXT} cannot hold (64 KB) is written with the login that made it and delivered whole.
 */
@Tag("production")
class MariaDbKeycloakIT {

    private static final String PASSWORD = "MariaDb-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    private static MariaDbServer database;
    private static LocalKeycloak node;

    @BeforeAll
    static void start() {
        database = MariaDbServer.startForKeycloak();
        node = LocalKeycloak.startOptimized("mariadb", database, LocalKeycloak.riskOptions());
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(node, database);
    }

    @Test
    void whatThePackKeptAboutACopyRemovedInBulkIsSweptOnMariaDb() {
        BulkRemovals.aRemovedCopyLeavesNothingUnderItsId(node, node, database);
    }

    @Test
    void theOutboxPayloadIsALongtextOnMariaDb() {
        assertThat(database.query("select column_type, is_nullable from information_schema.columns "
                + "where table_schema = 'keycloak' and table_name = 'CIAM_EVENT_OUTBOX' and column_name = 'PAYLOAD'"))
                .containsExactly("longtext\tNO");
        // Keycloak keeps each JPA entity provider's changelog in a table of its own, DATABASECHANGELOG_<provider>.
        List<String> applied = new ArrayList<>();
        for (String table : database.query("select table_name from information_schema.tables where table_schema = "
                + "'keycloak' and table_name like 'DATABASECHANGELOG%' and table_name not like '%LOCK%'")) {
            applied.addAll(database.query("select id from " + table + " where id like 'ciam-events-%'"));
        }
        assertThat(applied).as("the MariaDB changeset, recorded as applied").contains("ciam-events-10")
                .doesNotContain("ciam-events-5");
    }

    @Test
    void userIdColumnsTakeTheLongIdsOfUsersAStoreDoesNotImportAndStayRequired() {
        assertThat(database.query("select concat(table_name, '.', column_name), column_type, is_nullable "
                + "from information_schema.columns where table_schema = 'keycloak' and ((column_name = 'USER_ID' "
                + "and table_name in ('CIAM_CONSENT_SUBJECT', 'CIAM_CONSENT_RECEIPT', 'CIAM_LOGIN_HISTORY', "
                + "'CIAM_RISK_NOTICE')) or (column_name = 'ORDER_KEY' and table_name like 'CIAM_EVENT_%')) order by 1"))
                .as("ciam-consent-3, ciam-risk-4 and ciam-events-13: one MODIFY each, NOT NULL kept")
                .containsExactly("CIAM_CONSENT_RECEIPT.USER_ID\tvarchar(255)\tNO",
                        "CIAM_CONSENT_SUBJECT.USER_ID\tvarchar(255)\tNO",
                        "CIAM_EVENT_DELIVERY.ORDER_KEY\tvarchar(255)\tNO",
                        "CIAM_EVENT_OUTBOX.ORDER_KEY\tvarchar(255)\tNO",
                        "CIAM_LOGIN_HISTORY.USER_ID\tvarchar(255)\tNO",
                        "CIAM_RISK_NOTICE.USER_ID\tvarchar(255)\tNO");
    }

    @Test
    void aProfileUpdateOfACustomerWithLargeAttributesGoesThroughAndIsExportedWhole() {
        AdminApi admin = node.admin();
        // Keycloak itself keeps an admin event's representation in a TEXT column: without details it stores none,
        // so only the pack's outbox has to hold the large profile.
        ObjectNode noDetails = Http.JSON.createObjectNode().put("adminEventsDetailsEnabled", false);
        assertThat(admin.send("PUT", "/realms/acme", noDetails).statusCode()).isEqualTo(204);
        LargeProfileExport.assertExportedWhole(node, admin);
    }

    /**
     * MariaDB reads from the transaction's first snapshot: a row made in a transaction of its own after that is not
     * there for a plain read. A single sign-on of a customer without profiling state (signed in before the pack
     * counted) makes the row that way, and must find it.
     */
    @Test
    void aSingleSignOnOfACustomerWithoutProfilingStateGoesThrough() {
        AdminApi admin = node.admin();
        String email = "mariadb-sso-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        OidcCodeFlow browser = new OidcCodeFlow(node.realmUrl("acme"), "acme-web", APP);
        assertThat(browser.signIn(Attempt.fresh(), email, PASSWORD).code()).isNotBlank();
        database.query("delete from CIAM_PROFILING_USER where USER_ID = '" + userId + "'");

        assertThat(browser.redirectFrom(browser.authorizationUrl(Attempt.fresh())).code())
                .as("the single sign-on reaches the app").isNotBlank();
        assertThat(database.query("select LOGIN_COUNT from CIAM_PROFILING_USER where USER_ID = '" + userId + "'"))
                .as("the row made, a single sign-on not counted").containsExactly("0");
    }

    /**
     * A burst of consent changes from one customer's self-service, sent in parallel: the per-minute limit (the demo
     * keeps the default, 20) holds however the requests interleave. The count of recent changes must see those
     * committed while a request waited for the customer's standing lock, which a plain read on MariaDB (the
     * transaction's first snapshot) does not. (PostgreSQL: {@code ClusterIT}, across two nodes.)
     */
    @Test
    void aBurstOfParallelConsentChangesStaysWithinThePerMinuteLimit() throws Exception {
        AdminApi admin = node.admin();
        String email = "mariadb-consent-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);
        OidcCodeFlow app = new OidcCodeFlow(node.realmUrl("acme"), "acme-web", APP);
        Attempt attempt = Attempt.fresh();
        String token = app.tokens(app.signIn(attempt, email, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText();
        int before = Ledgers.ledger(admin, userId).size();

        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                String decision = i % 2 == 0 ? "granted" : "withdrawn";
                answers.add(pool.submit(() -> Http.send(HttpRequest.newBuilder(
                                URI.create(node.realmUrl("acme") + "/ciam-consent/me/marketing_email"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"decision\":\"" + decision + "\",\"version\":1}"))
                        .build()).statusCode()));
            }
            int refused = 0;
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).as("taken, or refused beyond 20 changes a minute").isIn(200, 429);
                refused += answer.get() == 429 ? 1 : 0;
            }
            assertThat(refused).as("the burst met the limit").isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(Ledgers.ledger(admin, userId).size() - before).as("self-service receipts within the minute")
                .isBetween(1, 20);
    }
}
