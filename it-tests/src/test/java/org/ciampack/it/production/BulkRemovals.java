package org.ciampack.it.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OrphanSweeps;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.SqlServer;
import org.ciampack.it.harness.TestStores;

/**
 * A customer of an importing store signs in from the app on one node; an admin runs the store's "Remove imported
 * users" on another (or the same) node: once the pack's sweeps ran, the database holds nothing of the pack's under
 * the removed copy's id, and its receipts are kept under a pseudonym. Read in the database itself.
 */
final class BulkRemovals {

    private static final String PASSWORD = "Bulk-Removal-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");
    /** Table, and the column that names the user. */
    private static final List<String> PER_USER = List.of("CIAM_LOGIN_HISTORY", "CIAM_RISK_NOTICE",
            "CIAM_CONSENT_SUBJECT", "CIAM_CONSENT_RECEIPT", "CIAM_PROFILING_USER");

    private BulkRemovals() {
    }

    static void aRemovedCopyLeavesNothingUnderItsId(LocalKeycloak signIn, LocalKeycloak remove, SqlServer database) {
        AdminApi admin = remove.admin();
        String email = "bulk-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String store = TestStores.add(admin, "acme", null, email, PASSWORD, true);
        try {
            OidcCodeFlow app = new OidcCodeFlow(signIn.realmUrl("acme"), "acme-web", APP);
            assertThat(app.signInAcceptingConsents(email, PASSWORD).headers().firstValue("Location").orElse(""))
                    .startsWith(APP.toString());
            String userId = admin.findUserByEmail("acme", email).get("id").asText();
            assertThat(userId).matches("[0-9a-f-]{36}"); // safe to put in the SQL below
            List<String> receipts = database.query("select ID from CIAM_CONSENT_RECEIPT where USER_ID = '" + userId
                    + "'");
            assertThat(receipts).as("the sign-in's receipts").isNotEmpty();
            for (String table : List.of("CIAM_LOGIN_HISTORY", "CIAM_CONSENT_SUBJECT", "CIAM_PROFILING_USER")) {
                assertThat(rows(database, table, userId)).as(table + " before").isPositive();
            }

            List<LocalKeycloak> nodes = signIn == remove ? List.of(signIn) : List.of(signIn, remove);
            Map<String, Double> cleaned = OrphanSweeps.cleaned(nodes);
            HttpResponse<String> removed = admin.send("POST",
                    "/realms/acme/user-storage/" + store + "/remove-imported-users", null);
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);

            Duration swept = Duration.ofSeconds(LocalKeycloak.ORPHAN_SWEEP_SECONDS * 8L);
            Instant deadline = Instant.now().plus(swept);
            while (PER_USER.stream().anyMatch(table -> rows(database, table, userId) > 0)) {
                assertThat(Instant.now()).as("nothing under the removed copy's id within " + swept).isBefore(deadline);
                Pause.millis(500);
            }
            assertThat(database.query("select count(*) from CIAM_CONSENT_RECEIPT where PSEUDONYMOUS = true and ID in ('"
                    + String.join("','", receipts) + "')")).as("its receipts kept, pseudonymous")
                    .containsExactly(String.valueOf(receipts.size()));

            // Every node may have found the copy; once each has swept twice more, it was cleaned up, and counted, once.
            Map<LocalKeycloak, Map<String, Double>> sweeps = new HashMap<>();
            nodes.forEach(node -> sweeps.put(node, OrphanSweeps.done(List.of(node))));
            while (nodes.stream().anyMatch(node -> OrphanSweeps.MODULES.stream().anyMatch(module ->
                    OrphanSweeps.done(List.of(node)).get(module) < sweeps.get(node).get(module) + 2))) {
                assertThat(Instant.now()).as("two more sweeps on every node within " + swept)
                        .isBefore(deadline.plus(swept));
                Pause.millis(500);
            }
            Map<String, Double> cleanedNow = OrphanSweeps.cleaned(nodes);
            OrphanSweeps.MODULES.forEach(module -> assertThat(cleanedNow.get(module) - cleaned.get(module))
                    .as(module + ": the removed copy cleaned up once, on " + nodes.size() + " node(s)")
                    .isEqualTo(1.0));
        } finally {
            admin.send("DELETE", "/realms/acme/components/" + store, null);
        }
    }

    private static int rows(SqlServer database, String table, String userId) {
        return Integer.parseInt(database.query("select count(*) from " + table + " where USER_ID = '" + userId + "'")
                .get(0).strip());
    }
}
