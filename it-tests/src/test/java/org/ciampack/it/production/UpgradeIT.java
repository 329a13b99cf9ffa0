package org.ciampack.it.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciampack.it.production.PreviousReleaseDatabase.APP;
import static org.ciampack.it.production.PreviousReleaseDatabase.CUSTOMER;
import static org.ciampack.it.production.PreviousReleaseDatabase.LOGINS;
import static org.ciampack.it.production.PreviousReleaseDatabase.NETWORK;
import static org.ciampack.it.production.PreviousReleaseDatabase.PASSWORD;
import static org.ciampack.it.production.PreviousReleaseDatabase.ROUTE;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ciampack.it.consent.Ledgers;
import org.ciampack.it.export.ExportRoutes;
import org.ciampack.it.export.WebhookReceiver;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.PostgresServer;
import org.ciampack.it.harness.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The upgrade path: the database the previous release left ({@link PreviousReleaseDatabase}, restored into a real
 * PostgreSQL) started with this build of the pack, optimized. The new changesets run, the old ones are kept, and
 * what the previous release wrote still counts: the returning customer's history, the numbering of their consent
 * receipts, and the export events still queued for a paused route.
 */
@Tag("production")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeIT {

    private static final Instant STARTED = Instant.now();
    private static final int EXPIRED = 2_500;
    private static final String REMOVED_ROUTE = "crm-before-reimport";
    private static final int OF_REMOVED_ROUTE = 1_200;
    private static final String JUST_CREATED_ROUTE = "crm-of-another-node";

    private static PostgresServer database;
    private static LocalKeycloak node;
    private static List<String> queuedByThePreviousRelease;

    @BeforeAll
    static void upgrade() {
        database = PostgresServer.start();
        PreviousReleaseDatabase.restore(database);
        queuedByThePreviousRelease = database.query("select event_id from ciam_event_delivery where route_name = '"
                + ROUTE + "' and status <> 'DELIVERED'");
        // Past retention when the node starts: its first purge pass removes them, in batches.
        String modelEvent = database.query("select event_id from ciam_event_delivery where route_name = '" + ROUTE
                + "' limit 1").get(0);
        ExpiredExport.seed(database, modelEvent, ROUTE, EXPIRED, 40);
        // Still pending for a route the realm no longer defines: the purge removes them (and the route's state).
        ExpiredExport.seedOfRemovedRoute(database, modelEvent, REMOVED_ROUTE, OF_REMOVED_ROUTE, 2);
        // A route another node has just created (this node's realm cache does not show it yet) and leases: kept.
        ExpiredExport.seedLeasedStateOfUndefinedRoute(database, modelEvent, JUST_CREATED_ROUTE);
        node = LocalKeycloak.startOptimized("upgrade", database, LocalKeycloak.riskOptions());
    }

    @AfterAll
    static void stop() {
        Resources.closeAll(node, database);
    }

    @Test
    @Order(1)
    void theNewChangesetsRunOnceAndThePreviousOnesAreKept() {
        List<String> applied = new ArrayList<>();
        List<String> appliedNow = new ArrayList<>();
        for (String table : database.query("select tablename from pg_tables "
                + "where tablename like 'databasechangelog%' and tablename not like '%lock%'")) {
            for (String row : database.query("select id, extract(epoch from dateexecuted) from " + table
                    + " where id like 'ciam-%'")) {
                String[] columns = row.split("\\|");
                applied.add(columns[0]);
                if (Double.parseDouble(columns[1]) >= STARTED.getEpochSecond() - 5) {
                    appliedNow.add(columns[0]);
                }
            }
        }
        assertThat(applied).as("every changeset once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrder("ciam-consent-1", "ciam-consent-2", "ciam-consent-3", "ciam-consent-4",
                        "ciam-events-1", "ciam-events-2", "ciam-events-3", "ciam-events-4", "ciam-events-6",
                        "ciam-events-7", "ciam-events-8", "ciam-events-9", "ciam-events-10", "ciam-events-11",
                        "ciam-events-12", "ciam-events-13", "ciam-events-14",
                        "ciam-federation-1", "ciam-federation-2", "ciam-profiling-1", "ciam-risk-1", "ciam-risk-2",
                        "ciam-risk-3", "ciam-risk-4", "ciam-risk-5");
        List<String> added = new ArrayList<>(applied);
        added.removeAll(List.of(PreviousReleaseDatabase.CHANGESETS));
        assertThat(appliedNow).as("only the changesets the previous release did not have ran at this start")
                .containsExactlyInAnyOrderElementsOf(added);

        assertThat(database.query("select count(*) from pg_tables where tablename = 'ciam_risk_notice'"))
                .containsExactly("1");
        assertThat(database.query("select table_name || '.' || column_name || '.' || character_maximum_length || '.' "
                + "|| is_nullable from information_schema.columns where (column_name = 'user_id' and table_name in "
                + "('ciam_consent_subject', 'ciam_consent_receipt', 'ciam_login_history', 'ciam_risk_notice')) "
                + "or (column_name = 'order_key' and table_name like 'ciam_event_%') order by 1"))
                .as("a user id as long as Keycloak's (f:<store>:<id> for a user a store does not import), still required")
                .containsExactly("ciam_consent_receipt.user_id.255.NO", "ciam_consent_subject.user_id.255.NO",
                        "ciam_event_delivery.order_key.255.NO", "ciam_event_outbox.order_key.255.NO",
                        "ciam_login_history.user_id.255.NO", "ciam_risk_notice.user_id.255.NO");
        assertThat(database.query("select column_name from information_schema.columns "
                + "where table_name = 'ciam_export_route_state' and column_name = 'cross_realm_approval'"))
                .as("the routes' state rows have a place for a cross-realm approval").containsExactly("cross_realm_approval");
        assertThat(database.query("select indexname from pg_indexes where tablename = 'ciam_consent_receipt' "
                + "and indexname like 'idx_%' order by 1"))
                .as("the receipts' time index replaced by the page and recent-decisions indexes")
                .containsExactly("idx_ciam_consent_receipt_page", "idx_ciam_consent_receipt_recent");
        assertThat(database.query("select indexname from pg_indexes where tablename = 'ciam_event_delivery' "
                + "and indexname not like 'pk_%' order by 1"))
                .as("the deliveries' unique key leads with the event, and the event's own index is gone")
                .containsExactly("idx_ciam_delivery_done", "idx_ciam_delivery_order", "idx_ciam_delivery_queue",
                        "uk_ciam_delivery_event_route");
    }

    @Test
    @Order(2)
    void theReturningCustomerSignsInAndIsScoredOnTheHistoryThePreviousReleaseWrote() {
        String userId = node.admin().findUserByEmail("acme", CUSTOMER).get("id").asText();
        assertThat(historyRows(userId)).isEqualTo(LOGINS);

        HttpResponse<String> login = app().submitLogin(Attempt.fresh(), CUSTOMER, PASSWORD);

        assertThat(login.headers().firstValue("Location").orElse("")).as("straight back to the app")
                .startsWith(APP.toString());
        JsonNode event = node.admin().events("acme", userId, "LOGIN").get(0);
        assertThat(event.at("/details/risk_reasons").asText()).as("a new device, in the known country and network")
                .isEqualTo("new_device");
        assertThat(historyRows(userId)).isEqualTo(LOGINS + 1);
    }

    @Test
    @Order(3)
    void theNextConsentDecisionContinuesTheReceiptNumbers() {
        AdminApi admin = node.admin();
        String userId = admin.findUserByEmail("acme", CUSTOMER).get("id").asText();
        List<String> before = Ledgers.decisions(Ledgers.ledger(admin, userId));
        assertThat(before).as("the previous release's receipts, newest first").startsWith(
                "marketing_email:1:withdrawn", "marketing_email:1:granted");

        OidcCodeFlow app = app();
        Attempt attempt = Attempt.fresh();
        String token = app.tokens(app.signIn(attempt, CUSTOMER, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText();
        int status = Http.send(HttpRequest.newBuilder(URI.create(node.realmUrl("acme") + "/ciam-consent/me/marketing_email"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"decision\":\"granted\",\"version\":1}")).build())
                .statusCode();

        assertThat(status).isEqualTo(200);
        JsonNode ledger = Ledgers.ledger(admin, userId);
        assertThat(ledger).hasSize(before.size() + 1);
        assertThat(Ledgers.decisions(ledger).get(0)).isEqualTo("marketing_email:1:granted");
        for (int i = 0; i < ledger.size(); i++) {
            assertThat(ledger.get(i).get("seq").asLong()).as("receipt numbers n..1 across the upgrade, newest first")
                    .isEqualTo(ledger.size() - i);
        }
    }

    @Test
    @Order(4)
    void eventsTheyQueuedAreDeliveredAfterTheUpgradeEachOnce() {
        assertThat(queuedByThePreviousRelease).as("the previous release's logins, queued for its paused route")
                .hasSize(LOGINS);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            ExportRoutes routes = new ExportRoutes(node, node.admin());
            // The route as it was, now aimed at this run's receiver (its secret in this run's vault).
            routes.create(ROUTE, ExportRoutes.loginWebhookRoute(receiver.url("/crm")));
            routes.post("routes/" + ROUTE + "/resume");
            routes.awaitDrained(ROUTE, Duration.ofSeconds(60));

            Map<String, Long> copies = receiver.events().stream().map(event -> event.path("id").asText())
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            for (String id : queuedByThePreviousRelease) {
                assertThat(copies.get(id)).as("event " + id + " at the receiver").isEqualTo(1L);
            }
        }
    }

    @Test
    @Order(5)
    void exportRowsPastRetentionAndOfRemovedRoutesArePurgedInBatchesAndQueuedOnesKept() {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (ExpiredExport.left(database) > 0) {
            assertThat(Instant.now()).as("the expired export rows purged").isBefore(until);
            Pause.millis(500);
        }
        assertThat(node.logTail(100_000)).as("1,000 rows a transaction: three batches of expired deliveries, two of "
                        + "the removed route's deliveries, one of its state, three of events")
                .contains("purged " + EXPIRED + " delivered, 0 dead deliveries and " + EXPIRED + " events past "
                        + "retention, and " + (OF_REMOVED_ROUTE + 1) + " rows of removed routes, in 9 batches");
        assertThat(ExpiredExport.leftOfRoute(database, REMOVED_ROUTE)).as("the removed route's deliveries and state")
                .isZero();
        assertThat(ExpiredExport.leftOfRoute(database, JUST_CREATED_ROUTE)).as("the state of a route leased just now")
                .isOne();
        assertThat(ExpiredExport.eventsOfRemovedRoute(database))
                .as("their events, kept for a replay until their own retention").isEqualTo(OF_REMOVED_ROUTE);
        assertThat(database.query("select count(*) from ciam_event_outbox where id in ('"
                + String.join("','", queuedByThePreviousRelease) + "')")).as("the events the route delivered today")
                .containsExactly(String.valueOf(LOGINS));
    }

    private static int historyRows(String userId) {
        return Integer.parseInt(database.query("select count(*) from ciam_login_history where user_id = '" + userId
                + "'").get(0));
    }

    private static OidcCodeFlow app() {
        return new OidcCodeFlow(node.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", NETWORK);
    }
}
