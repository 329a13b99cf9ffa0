package org.ciampack.it.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.PostgresServer;
import org.ciampack.it.harness.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pack as operators run it: Keycloak built for PostgreSQL ({@code kc.sh build}) and started with
 * {@code start --optimized} against a real PostgreSQL server of its own, the demo realm imported.
 */
@Tag("production")
class ProductionBuildIT {

    private static final String PASSWORD = "Production-Password-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    private static PostgresServer database;
    private static LocalKeycloak node;

    @BeforeAll
    static void start() {
        database = PostgresServer.start();
        node = LocalKeycloak.startOptimized("production-a", database, List.of());
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(node, database);
    }

    @Test
    void thePacksChangelogsCreateItsTablesAndIndexesInAnEmptyPostgresDatabase() {
        assertThat(database.query("select tablename from pg_tables where tablename like 'ciam\\_%' order by 1"))
                .containsExactly("ciam_consent_receipt", "ciam_consent_subject", "ciam_event_delivery",
                        "ciam_event_outbox", "ciam_export_route_state", "ciam_legacy_import", "ciam_login_history",
                        "ciam_profiling_user", "ciam_risk_notice");
        List<String> indexes = database.query("select indexname from pg_indexes where tablename like 'ciam\\_%'");
        assertThat(indexes).as("every table has its primary key").hasSizeGreaterThanOrEqualTo(9)
                .contains("idx_ciam_login_history_user", "uk_ciam_delivery_event_route")
                .doesNotContain("uk_ciam_delivery_route_event", "idx_ciam_delivery_event");
        assertThat(database.query("select column_name from information_schema.columns "
                + "where table_name = 'ciam_legacy_import' and column_name = 'closed_at'"))
                .as("an import record says when Keycloak deleted the customer").containsExactly("closed_at");
        assertThat(indexes).as("and is closed by the user's id").contains("idx_ciam_legacy_import_user");
        // Keycloak keeps each JPA entity provider's changelog in a table of its own, databasechangelog_<provider>.
        List<String> ids = new ArrayList<>();
        for (String table : database.query("select tablename from pg_tables "
                + "where tablename like 'databasechangelog%' and tablename not like '%lock%'")) {
            ids.addAll(database.query("select id from " + table + " where id like 'ciam-%'"));
        }
        assertThat(ids.stream().sorted().toList())
                .as("the pack's changesets, recorded as applied (those for other databases as run)")
                .containsExactly("ciam-consent-1", "ciam-consent-2", "ciam-consent-3", "ciam-consent-4",
                        "ciam-events-1", "ciam-events-10", "ciam-events-11", "ciam-events-12", "ciam-events-13",
                        "ciam-events-14", "ciam-events-2", "ciam-events-3", "ciam-events-4", "ciam-events-6",
                        "ciam-events-7", "ciam-events-8", "ciam-events-9", "ciam-federation-1", "ciam-federation-2",
                        "ciam-profiling-1", "ciam-risk-1", "ciam-risk-2", "ciam-risk-3", "ciam-risk-4", "ciam-risk-5");
    }

    @Test
    void aCodeFlowLoginOnTheOptimizedBuildWritesItsHistoryAndExportToPostgres() {
        AdminApi admin = node.admin();
        String email = "production-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = admin.createUser("acme", email, PASSWORD, true);

        String code = new OidcCodeFlow(node.realmUrl("acme"), "acme-web", APP).signIn(Attempt.fresh(), email, PASSWORD)
                .code();

        assertThat(code).isNotBlank();
        assertThat(database.query("select count(*) from ciam_login_history where user_id = '" + userId + "'"))
                .as("the risk step's history row").containsExactly("1");
        assertThat(database.query("select count(*) from ciam_profiling_user where user_id = '" + userId + "'"))
                .as("the profiling state").containsExactly("1");
        assertThat(database.query("select count(*) from ciam_event_outbox where event_type = 'LOGIN' "
                + "and order_key = '" + userId + "'")).as("the login event in the export outbox").containsExactly("1");
    }

    @Test
    void aReturningCustomersLoginWritesThePacksRowsWithoutMakingKeycloaksAsynchronousCommitSynchronous() {
        // Keycloak 26.7 commits a transaction that only wrote sessions and events without waiting for the disk on
        // PostgreSQL (SET LOCAL synchronous_commit TO OFF); a login of the pack writes its history, outbox and
        // delivery rows in that transaction and must leave it so.
        String email = "async-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        node.admin().createUser("acme", email, PASSWORD, true);
        OidcCodeFlow browser = new OidcCodeFlow(node.realmUrl("acme"), "acme-web", APP);
        browser.signIn(Attempt.fresh(), email, PASSWORD); // the first login also creates the profiling state
        browser.forgetSession(); // a returning customer: the device cookie stays, the session is gone

        Map<String, List<String>> transactions = database.statementsByTransaction(
                () -> assertThat(browser.signIn(Attempt.fresh(), email, PASSWORD).code()).isNotBlank());

        List<List<String>> login = transactions.values().stream()
                .filter(statements -> statements.stream().anyMatch(sql -> sql.startsWith("insert into CIAM_LOGIN_HISTORY")))
                .toList();
        assertThat(login).as("one transaction wrote the login's history row").hasSize(1);
        assertThat(login.get(0))
                .as("the login's transaction: Keycloak's event, the pack's rows, and the asynchronous commit")
                .anyMatch(sql -> sql.startsWith("insert into EVENT_ENTITY"))
                .anyMatch(sql -> sql.startsWith("insert into CIAM_EVENT_OUTBOX"))
                .anyMatch(sql -> sql.startsWith("insert into CIAM_EVENT_DELIVERY"))
                .anyMatch(sql -> sql.equalsIgnoreCase("SET LOCAL synchronous_commit TO OFF"));
    }
}
