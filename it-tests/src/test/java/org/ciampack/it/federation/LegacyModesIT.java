package org.ciampack.it.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciampack.it.federation.LegacyShop.format;
import static org.ciampack.it.federation.LegacyShop.password;
import static org.ciampack.it.federation.LegacyShop.username;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.AccountConsole;
import org.ciampack.it.pages.LoginPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The legacy store's other two modes on a real PostgreSQL: <em>federated</em> (the legacy database stays the owner;
 * realm {@value #FEDERATED}, a cache lifespan of {@value #LIFESPAN_MS} ms) and <em>bulk import</em> ("Synchronize all
 * users" with the legacy hashes imported as Keycloak credentials; realm {@value #BULK}), after which the legacy
 * database can be switched off.
 */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LegacyModesIT {

    private static final int CUSTOMERS = 3_000;
    private static final String FEDERATED = "legacy-federated";
    private static final String BULK = "legacy-bulk";
    private static final String LAZY = "legacy-lazy";
    private static final long LIFESPAN_MS = 3_000;
    /** A WordPress customer's phpass hash of this password, by wordpress-hash-node (see LegacyPasswordHashTest). */
    private static final String PHPASS_PASSWORD = "Legacy-Pässword-1";

    private static LegacyShop shop;
    private static String federatedStore;
    private static String bulkStore;
    private static String lazyStore;

    @BeforeAll
    static void twoRealmsOneLegacyShop(AdminApi admin) {
        shop = LegacyShop.start(CUSTOMERS);
        shop.query("insert into customers (id, username, email, email_confirmed, first_name, last_name, password_hash, "
                + "created_at) values (900001, 'legacy-wordpress', 'legacy-wordpress@legacy.acme.test', true, 'Word', "
                + "'Press', '$P$BndZGncYS8B5ihv4N14kZIt1cK4hoq1', now())");
        LegacyShop.newRealm(admin, FEDERATED);
        LegacyShop.newRealm(admin, BULK);
        federatedStore = shop.federate(admin, FEDERATED, Map.of("mode", "federated",
                "cachePolicy", "MAX_LIFESPAN", "maxLifespan", String.valueOf(LIFESPAN_MS), "syncAnswerSeconds", "1"));
        shop.query("alter table customers add column roles varchar(200), add column segments varchar(200)");
        shop.query("update customers set roles = 'loyal-customer, admin, no-such-role, support', "
                + "segments = 'vip,/tiers/gold,staff,no-such-group,auditors' where id = 150");
        LegacyShop.newRealm(admin, LAZY);
        lazyStore = shop.federate(admin, LAZY);
        rolesAndGroupsOfTheBulkRealm(admin);
        bulkStore = shop.federate(admin, BULK, Map.of("importPasswordHashes", "true", "rolesColumn", "roles",
                "groupsColumn", "segments", "syncAnswerSeconds", "5"));
    }

    /** A customer role and group, and an "admin" role and a "staff" group that carry realm administration roles. */
    private static void rolesAndGroupsOfTheBulkRealm(AdminApi admin) {
        String realm = "/realms/" + BULK;
        for (String role : new String[] {"loyal-customer", "admin"}) {
            admin.send("POST", realm + "/roles", Http.JSON.createObjectNode().put("name", role));
        }
        String management = admin.get(realm + "/clients?clientId=realm-management").get(0).get("id").asText();
        admin.send("POST", realm + "/roles/admin/composites", Http.JSON.createArrayNode()
                .add(admin.get(realm + "/clients/" + management + "/roles/manage-users")));
        admin.send("POST", realm + "/groups", Http.JSON.createObjectNode().put("name", "vip"));
        String tiers = created(admin.send("POST", realm + "/groups",
                Http.JSON.createObjectNode().put("name", "tiers")));
        admin.send("POST", realm + "/groups/" + tiers + "/children", Http.JSON.createObjectNode().put("name", "gold"));
        String staff = created(admin.send("POST", realm + "/groups",
                Http.JSON.createObjectNode().put("name", "staff")));
        admin.send("POST", realm + "/groups/" + staff + "/role-mappings/clients/" + management,
                Http.JSON.createArrayNode().add(admin.get(realm + "/clients/" + management + "/roles/view-users")));
        adminPermissionsOfTheBulkRealm(admin);
    }

    /**
     * Fine-grained admin permissions (version 2) for an "auditors" group and a "support" role, neither of which
     * carries an administration role: a group policy and a role policy, each in a permission to view and manage the
     * realm's users.
     */
    private static void adminPermissionsOfTheBulkRealm(AdminApi admin) {
        String realm = "/realms/" + BULK;
        assertThat(admin.send("PUT", realm, Http.JSON.createObjectNode().put("adminPermissionsEnabled", true))
                .statusCode()).isEqualTo(204);
        String auditors = created(admin.send("POST", realm + "/groups",
                Http.JSON.createObjectNode().put("name", "auditors")));
        admin.send("POST", realm + "/roles", Http.JSON.createObjectNode().put("name", "support"));
        String support = admin.get(realm + "/roles/support").get("id").asText();
        String authz = realm + "/clients/" + admin.get(realm + "/clients?clientId=admin-permissions").get(0).get("id")
                .asText() + "/authz/resource-server";
        ObjectNode groupPolicy = Http.JSON.createObjectNode().put("name", "auditors-group");
        groupPolicy.putArray("groups").addObject().put("id", auditors).put("extendChildren", false);
        ObjectNode rolePolicy = Http.JSON.createObjectNode().put("name", "support-role");
        rolePolicy.putArray("roles").addObject().put("id", support).put("required", false);
        for (ObjectNode policy : new ObjectNode[] {groupPolicy, rolePolicy}) {
            String type = policy.has("groups") ? "group" : "role";
            String policyId = Http.json(expectCreated(admin.send("POST", authz + "/policy/" + type, policy)))
                    .get("id").asText();
            ObjectNode permission = Http.JSON.createObjectNode().put("name", type + "-manages-users")
                    .put("resourceType", "Users").put("decisionStrategy", "UNANIMOUS");
            permission.putArray("scopes").add("view").add("manage");
            permission.putArray("policies").add(policyId);
            expectCreated(admin.send("POST", authz + "/permission/scope", permission));
        }
    }

    private static String expectCreated(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(201);
        return response.body();
    }

    private static String created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @AfterAll
    static void cleanUp(AdminApi admin) {
        admin.send("DELETE", "/realms/" + FEDERATED, null);
        admin.send("DELETE", "/realms/" + BULK, null);
        admin.send("DELETE", "/realms/" + LAZY, null);
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    @Order(1)
    void federatedCustomersAreCheckedAgainstTheLegacyDatabaseAtEveryLogin(ServerUnderTest server, AdminApi admin) {
        int n = 101;
        assertThat(grant(server, FEDERATED, username(n), password(n)).statusCode()).isEqualTo(200);
        JsonNode user = user(admin, FEDERATED, n);
        assertThat(user.get("federationLink").asText()).as("still linked after the login").isEqualTo(federatedStore);
        assertThat(admin.get("/realms/" + FEDERATED + "/users/" + user.get("id").asText() + "/credentials"))
                .as("no password kept in Keycloak").isEmpty();

        // the legacy system changes the password (here: to customer 113's, whose hash we copy)
        shop.query("update customers set password_hash = (select password_hash from customers where id = 113) "
                + "where id = " + n);

        assertRefused(grant(server, FEDERATED, username(n), password(n)));
        assertThat(admin.bruteForceStatus(FEDERATED, user.get("id").asText()).get("numFailures").asInt())
                .as("a wrong password checked in the legacy database counts for brute force").isEqualTo(1);
        assertThat(grant(server, FEDERATED, username(n), password(113)).statusCode()).as("the new one")
                .isEqualTo(200);
    }

    @Test
    @Order(2)
    void aProfileChangeInTheLegacyDatabaseIsSeenOnceTheCacheLetsTheCustomerGo(ServerUnderTest server,
                                                                             AdminApi admin) {
        int n = 102;
        assertThat(grant(server, FEDERATED, username(n), password(n)).statusCode()).isEqualTo(200);
        Pause.millis(LIFESPAN_MS + 500);
        assertThat(user(admin, FEDERATED, n).get("lastName").asText()).isEqualTo("Customer " + n); // cached anew
        Instant cached = Instant.now();

        shop.query("update customers set last_name = 'Renamed', phone_number = '+44 20 0000 0102' where id = " + n);

        assertThat(user(admin, FEDERATED, n).get("lastName").asText()).as("within the cache's lifespan")
                .isEqualTo("Customer " + n);
        JsonNode refreshed = user(admin, FEDERATED, n);
        while (!"Renamed".equals(refreshed.get("lastName").asText())
                && Duration.between(cached, Instant.now()).toMillis() < LIFESPAN_MS + 10_000) {
            Pause.millis(250);
            refreshed = user(admin, FEDERATED, n);
        }
        assertThat(refreshed.get("lastName").asText()).as("after the cache's lifespan").isEqualTo("Renamed");
        assertThat(Duration.between(cached, Instant.now()).toMillis()).isGreaterThanOrEqualTo(LIFESPAN_MS - 100);
        assertThat(refreshed.at("/attributes/phone/0").asText()).isEqualTo("+44 20 0000 0102");
    }

    @Test
    @Order(3)
    void whatTheLegacyDatabaseHoldsCannotBeChangedInKeycloak(ServerUnderTest server, AdminApi admin) {
        int n = 103;
        assertThat(grant(server, FEDERATED, username(n), password(n)).statusCode()).isEqualTo(200);
        ObjectNode user = (ObjectNode) user(admin, FEDERATED, n);
        String path = "/realms/" + FEDERATED + "/users/" + user.get("id").asText();

        user.put("lastName", "Changed in Keycloak");
        HttpResponse<String> rename = admin.send("PUT", path, user);
        ObjectNode reset = Http.JSON.createObjectNode().put("type", "password").put("value", "Reset-Pass-103!")
                .put("temporary", false);
        HttpResponse<String> newPassword = admin.send("PUT", path + "/reset-password", reset);

        assertThat(rename.statusCode()).as(rename.body()).isEqualTo(400);
        assertThat(newPassword.statusCode()).as(newPassword.body()).isEqualTo(400);
        assertThat(admin.get(path).get("lastName").asText()).isEqualTo("Customer " + n);
        assertRefused(grant(server, FEDERATED, username(n), "Reset-Pass-103!"));
        assertThat(grant(server, FEDERATED, username(n), password(n)).statusCode()).isEqualTo(200);
        assertThat(shop.query("select last_name from customers where id = " + n)).containsExactly("Customer " + n);
    }

    @Test
    @Order(4)
    void aCustomerTheLegacyDatabaseNoLongerHasIsRemovedFromKeycloak(ServerUnderTest server, AdminApi admin) {
        int n = 104;
        assertThat(grant(server, FEDERATED, username(n), password(n)).statusCode()).isEqualTo(200);
        assertThat(user(admin, FEDERATED, n)).isNotNull();

        shop.query("delete from customers where id = " + n);
        Pause.millis(LIFESPAN_MS + 500);

        assertThat(admin.get("/realms/" + FEDERATED + "/users?exact=true&username=" + username(n))).isEmpty();
        assertRefused(grant(server, FEDERATED, username(n), password(n)));
    }

    /**
     * Only a clear "no such customer" removes a federated customer. Two customers for one name (a second account
     * that differs in case) and a statement the legacy database cannot run any more (a renamed table) are no answer:
     * the customer stays as Keycloak has them, credentials and all, and signs in again once the shop is mended.
     */
    @Test
    @Order(4)
    void aCustomerTheLegacyDatabaseCannotAnswerForClearlyStaysInKeycloak(ServerUnderTest server, AdminApi admin) {
        int n = 103; // imported by the test before: the synchronization after counts the imports
        assertThat(grant(server, FEDERATED, username(n), password(n)).statusCode()).isEqualTo(200);
        String id = user(admin, FEDERATED, n).get("id").asText();

        shop.query("insert into customers (id, username, email, email_confirmed, first_name, last_name, password_hash, "
                + "created_at) select 900103, upper(username), 'other-103@legacy.acme.test', true, first_name, last_name, "
                + "password_hash, now() from customers where id = " + n);
        try {
            Pause.millis(LIFESPAN_MS + 500);
            assertThat(byId(admin, id)).as("two customers for one name").isEqualTo(200);
        } finally {
            shop.query("delete from customers where id = 900103");
        }
        shop.query("alter table customers rename to customers_renamed");
        try {
            Pause.millis(LIFESPAN_MS + 500);
            assertThat(byId(admin, id)).as("a table the statement no longer finds").isEqualTo(200);
        } finally {
            shop.query("alter table customers_renamed rename to customers");
        }
        Pause.millis(LIFESPAN_MS + 500);
        assertThat(grant(server, FEDERATED, username(n), password(n)).statusCode()).isEqualTo(200);
        assertThat(user(admin, FEDERATED, n).get("id").asText()).isEqualTo(id);
    }

    /** The status of reading a user of the federated realm by id: Keycloak checks a federated one with its store. */
    private static int byId(AdminApi admin, String id) {
        return byIdIn(admin, FEDERATED, id);
    }

    private static int byIdIn(AdminApi admin, String realm, String id) {
        return admin.send("GET", "/realms/" + realm + "/users/" + id, null).statusCode();
    }

    @Test
    @Order(5)
    void synchronizingAFederatedStoreImportsTheRestInTheBackgroundAndRefreshesWhatChanged(ServerUnderTest server,
                                                                                          AdminApi admin) {
        shop.query("update customers set last_name = 'Synced' where id = 103");
        int legacy = Integer.parseInt(shop.query("select count(*) from customers").get(0));
        String path = "/realms/" + FEDERATED + "/user-storage/" + federatedStore + "/sync?action=triggerFullSync";

        HttpResponse<String> first = admin.send("POST", path, null);
        HttpResponse<String> again = admin.send("POST", path, null);

        // this store answers after 1 s: the figures so far, while the import goes on (it takes ~20 s here)
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(Http.json(first.body()).get("added").asInt()).isLessThan(legacy - 3);
        assertThat(again.statusCode()).isEqualTo(200);
        awaitSynchronized(server, legacy + " legacy customers read, " + (legacy - 3)
                + " imported users, 1 updated users");
        assertThat(server.logTail(2_000)).as("one run, though asked twice")
                .containsOnlyOnce("synchronization done: " + legacy + " legacy");
        assertThat(user(admin, FEDERATED, 103).get("lastName").asText()).isEqualTo("Synced");
        assertThat(user(admin, FEDERATED, 2_000).get("federationLink").asText()).isEqualTo(federatedStore);
    }

    /**
     * A federated customer deleted in Keycloak stays deleted though the owner still holds their row: the customer who
     * deleted their own account from the account console (Keycloak's delete_account), and the one an admin deleted,
     * sign in with the legacy password as an unknown customer would, and no admin search brings them back.
     */
    @Test
    @Order(6)
    void aFederatedCustomerDeletedInKeycloakDoesNotSignInAgainWithTheLegacyPassword(ServerUnderTest server,
                                                                                   AdminApi admin, Browser browser) {
        String realm = "/realms/" + FEDERATED;
        ObjectNode deleteAccount = (ObjectNode) admin.get(realm + "/authentication/required-actions/delete_account");
        admin.send("PUT", realm + "/authentication/required-actions/delete_account", deleteAccount.put("enabled", true));
        ObjectNode events = (ObjectNode) admin.get(realm + "/events/config");
        admin.send("PUT", realm + "/events/config", events.put("eventsEnabled", true));
        int self = 106;
        int byAdmin = 107;
        assertThat(grant(server, FEDERATED, username(self), password(self)).statusCode()).isEqualTo(200);
        assertThat(grant(server, FEDERATED, username(byAdmin), password(byAdmin)).statusCode()).isEqualTo(200);
        String selfId = user(admin, FEDERATED, self).get("id").asText();
        String byAdminId = user(admin, FEDERATED, byAdmin).get("id").asText();
        admin.grantClientRole(FEDERATED, selfId, "account", "delete-account");

        browser.open(AccountConsole.url(server.realmUrl(FEDERATED)));
        new LoginPage(browser).signIn(username(self), password(self));
        new AccountConsole(browser).assertSignedInAs(LegacyShop.email(self));
        browser.await(By.cssSelector("[data-testid=delete-account] button")).click();
        browser.await(By.id("delete-account-btn")).click();
        browser.until(driver -> !driver.findElements(By.id("password")).isEmpty()
                || !driver.findElements(By.id("kc-submit")).isEmpty());
        if (!browser.driver().findElements(By.id("password")).isEmpty()) { // delete_account's maximum age is 0
            browser.driver().findElement(By.id("password")).sendKeys(password(self));
            browser.driver().findElement(By.id("kc-login")).click();
        }
        browser.await(By.id("kc-submit")).click(); // "Confirm"
        browser.until(driver -> byId(admin, selfId) == 404);
        assertThat(admin.send("DELETE", realm + "/users/" + byAdminId, null).statusCode()).isEqualTo(204);

        for (int n : new int[] {self, byAdmin}) {
            assertThat(shop.query("select count(*) from customers where id = " + n)).as("the owner keeps the row")
                    .containsExactly("1");
            assertRefused(grant(server, FEDERATED, username(n), password(n)));
            assertThat(admin.get(realm + "/users?exact=true&username=" + username(n))).as(username(n)).isEmpty();
            assertThat(admin.get(realm + "/users?search=" + username(n)).findValuesAsText("username"))
                    .as("a search lists the others").doesNotContain(username(n)).isNotEmpty();
        }
        assertThat(admin.events(FEDERATED, selfId, "DELETE_ACCOUNT")).as("what tells the owner").hasSize(1);
        assertThat(grant(server, FEDERATED, username(108), password(108)).statusCode()).as("the others sign in")
                .isEqualTo(200);
    }

    /**
     * An admin's "Remove imported users" on a lazy-migration store drops the local copies of the customers not
     * migrated yet, and their legacy rows bring them back (a search lists them again, they sign in); a migrated
     * customer, or one whose password was set in Keycloak, is Keycloak's and keeps their account. A customer deleted
     * in Keycloak stays deleted however they were deleted: linked, renamed first, or unlinked by the admin's "Unlink
     * users" first.
     */
    @Test
    @Order(7)
    void afterRemoveImportedUsersTheCustomersNotMigratedYetSignInAgain(ServerUnderTest server, AdminApi admin) {
        String realm = "/realms/" + LAZY;
        String storage = realm + "/user-storage/" + lazyStore;
        int notMigrated = 201;
        int migrated = 202;
        int deleted = 203;
        int renamed = 204;
        int unlinked = 205;
        int passwordSet = 206;
        assertThat(user(admin, LAZY, notMigrated).get("federationLink").asText()).as("imported by the search")
                .isEqualTo(lazyStore);
        assertThat(grant(server, LAZY, username(migrated), password(migrated)).statusCode()).isEqualTo(200);
        String migratedId = user(admin, LAZY, migrated).get("id").asText();
        delete(admin, user(admin, LAZY, deleted));
        admin.send("PUT", realm, Http.JSON.createObjectNode().put("editUsernameAllowed", true));
        ObjectNode renamedUser = (ObjectNode) user(admin, LAZY, renamed);
        HttpResponse<String> rename = admin.send("PUT", realm + "/users/" + renamedUser.get("id").asText(),
                renamedUser.put("username", "renamed-" + renamed));
        assertThat(rename.statusCode()).as(rename.body()).isEqualTo(204);
        delete(admin, renamedUser);
        // An admin (or a reset) sets a password in Keycloak before the customer's first sign-in: from then on the
        // account is Keycloak's own, as after a migration.
        String passwordSetId = user(admin, LAZY, passwordSet).get("id").asText();
        HttpResponse<String> reset = admin.send("PUT", realm + "/users/" + passwordSetId + "/reset-password",
                Http.JSON.createObjectNode().put("type", "password").put("value", "Set-In-Keycloak-206")
                        .put("temporary", false));
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(204);
        assertThat(user(admin, LAZY, passwordSet).has("federationLink")).as("the link ends with the password set")
                .isFalse();

        HttpResponse<String> removed = admin.send("POST", storage + "/remove-imported-users", null);

        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
        assertThat(byIdIn(admin, LAZY, migratedId)).as("a migrated customer is not the store's").isEqualTo(200);
        assertThat(admin.get(realm + "/users?search=" + username(notMigrated)).findValuesAsText("username"))
                .as("listed again").contains(username(notMigrated));
        assertThat(grant(server, LAZY, username(notMigrated), password(notMigrated)).statusCode())
                .as("imported again, and migrated").isEqualTo(200);
        assertThat(user(admin, LAZY, notMigrated).has("federationLink")).isFalse();
        assertThat(grant(server, LAZY, username(migrated), password(migrated)).statusCode()).isEqualTo(200);
        assertThat(user(admin, LAZY, migrated).get("id").asText()).isEqualTo(migratedId);
        assertThat(byIdIn(admin, LAZY, passwordSetId)).as("nor one whose password was set in Keycloak").isEqualTo(200);
        assertThat(grant(server, LAZY, username(passwordSet), "Set-In-Keycloak-206").statusCode()).isEqualTo(200);
        assertRefused(grant(server, LAZY, username(passwordSet), password(passwordSet)));

        JsonNode unlinkedUser = user(admin, LAZY, unlinked);
        assertThat(admin.send("POST", storage + "/unlink-users", null).statusCode()).isEqualTo(204);
        delete(admin, unlinkedUser);
        for (int n : new int[] {deleted, renamed, unlinked}) {
            assertRefused(grant(server, LAZY, username(n), password(n)));
            assertThat(admin.get(realm + "/users?exact=true&username=" + username(n))).as(username(n)).isEmpty();
        }
    }

    private static void delete(AdminApi admin, JsonNode user) {
        HttpResponse<String> deleted = admin.send("DELETE", "/realms/" + LAZY + "/users/" + user.get("id").asText(),
                null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    }

    @Test
    @Order(10)
    void synchronizingImportsEveryLegacyCustomerWithTheirHash(ServerUnderTest server,
                                                                               AdminApi admin) {
        int legacy = Integer.parseInt(shop.query("select count(*) from customers").get(0));

        sync(admin); // answers within 5 s, with the result or the figures so far
        awaitSynchronized(server, legacy + " legacy customers read, " + legacy + " imported users, 0 updated users");

        assertThat(count(admin)).as("every customer is a Keycloak user now").isEqualTo(legacy);
        JsonNode user = user(admin, BULK, 7);
        assertThat(user.has("federationLink")).as("not linked: the legacy database is not needed for them").isFalse();
        assertThat(user.get("lastName").asText()).isEqualTo("Customer 7");
        assertThat(credentialData(admin, user)).contains("\"algorithm\":\"ciam-legacy\"");
    }

    /**
     * Roles and groups the row names are granted, except those that carry an administration role and those that the
     * realm's fine-grained admin permissions name ("auditors" and "support", each in a policy of a permission to view
     * and manage the realm's users).
     */
    @Test
    @Order(11)
    void theRolesAndGroupsTheLegacyRowNamesAreGrantedButNeverAdministrationRights(ServerUnderTest server,
                                                                                  AdminApi admin) {
        String path = "/realms/" + BULK + "/users/" + user(admin, BULK, 150).get("id").asText();

        java.util.List<String> roles = new java.util.ArrayList<>();
        admin.get(path + "/role-mappings/realm").forEach(role -> roles.add(role.get("name").asText()));
        java.util.List<String> groups = new java.util.ArrayList<>();
        admin.get(path + "/groups").forEach(group -> groups.add(group.get("path").asText()));

        assertThat(roles).contains("loyal-customer").doesNotContain("admin", "no-such-role", "support");
        assertThat(groups).containsExactlyInAnyOrder("/vip", "/tiers/gold");
        assertThat(server.logTail(20_000)).contains("legacy customer legacy-150: role admin gives realm administration "
                + "rights", "legacy customer legacy-150: group staff gives realm administration rights",
                "legacy customer legacy-150: role support gives realm administration rights",
                "legacy customer legacy-150: group auditors gives realm administration rights");
        assertThat(admin.get("/realms/" + BULK + "/users/" + user(admin, BULK, 151).get("id").asText() + "/groups"))
                .as("a row without groups").isEmpty();
    }

    /**
     * The admin realm's own roles administer every realm (its "admin" is the server's super-admin): a legacy store
     * federated into it grants nothing its rows name, so a row saying "admin" makes no administrator there either.
     */
    @Test
    @Order(11)
    void inTheAdminRealmALegacyRowGrantsNoRolesAndNoGroups(ServerUnderTest server, AdminApi admin) {
        String store = shop.federate(admin, "master", Map.of("rolesColumn", "roles", "groupsColumn", "segments"));
        String userId = null;
        try {
            HttpResponse<String> signIn = grant(server, "master", username(150), LegacyShop.password(150));
            assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
            userId = user(admin, "master", 150).get("id").asText();
            java.util.List<String> roles = new java.util.ArrayList<>();
            admin.get("/realms/master/users/" + userId + "/role-mappings/realm")
                    .forEach(role -> roles.add(role.get("name").asText()));
            assertThat(roles).as("only the admin realm's defaults").doesNotContain("admin", "create-realm",
                    "loyal-customer");
            assertThat(admin.get("/realms/master/users/" + userId + "/groups")).isEmpty();
            assertThat(server.logTail(20_000)).contains("Realm master is the admin realm: legacy customer legacy-150 "
                    + "gets none of the roles and groups their row names");
        } finally {
            admin.send("DELETE", "/realms/master/components/" + store, null);
            if (userId != null) {
                admin.send("DELETE", "/realms/master/users/" + userId, null);
            }
        }
    }

    @Test
    @Order(12)
    void aSecondSynchronizationImportsOnlyWhatIsNew(AdminApi admin) {
        shop.query("insert into customers (id, username, email, email_confirmed, first_name, last_name, password_hash, "
                + "created_at) select id + 1000000, 'late-' || id, 'late-' || id || '@legacy.acme.test', true, "
                + "first_name, last_name, password_hash, now() from customers where id between 200 and 204");

        JsonNode result = sync(admin);

        assertThat(result.get("added").asInt()).as(result.toString()).isEqualTo(5);
        assertThat(count(admin)).isEqualTo(Integer.parseInt(shop.query("select count(*) from customers").get(0)));
    }

    @Test
    @Order(13)
    void everyImportedHashSignsInWithTheLegacyDatabaseSwitchedOffAndIsRehashed(ServerUnderTest server,
                                                                               AdminApi admin) {
        Map<Integer, JsonNode> users = new java.util.HashMap<>();
        for (int n = 1; n <= LegacyShop.FORMATS.size(); n++) {
            users.put(n, user(admin, BULK, n));
        }
        shop.stop();
        try {
            for (int n = 1; n <= LegacyShop.FORMATS.size(); n++) {
                assertThat(grant(server, BULK, username(n), password(n)).statusCode()).as(format(n)).isEqualTo(200);
                assertThat(credentialData(admin, users.get(n))).as(format(n) + ": re-hashed by the realm")
                        .contains("\"algorithm\":\"argon2\"");
                assertThat(grant(server, BULK, username(n), password(n)).statusCode()).isEqualTo(200);
            }
            assertThat(grant(server, BULK, "legacy-wordpress", PHPASS_PASSWORD).statusCode()).as("phpass")
                    .isEqualTo(200);
        } finally {
            shop.restart();
        }
    }

    @Test
    @Order(14)
    void aWrongPasswordOfAnImportedHashCountsForBruteForce(ServerUnderTest server, AdminApi admin) {
        int n = 30;
        assertRefused(grant(server, BULK, username(n), "Not-" + password(n)));
        String id = user(admin, BULK, n).get("id").asText();
        assertThat(admin.bruteForceStatus(BULK, id).get("numFailures").asInt()).isEqualTo(1);
        assertThat(credentialData(admin, user(admin, BULK, n))).as("nothing re-hashed by a wrong password")
                .contains("\"algorithm\":\"ciam-legacy\"");
    }

    /** Waits for the server log to say a synchronization of the shop ended with these figures. */
    private static void awaitSynchronized(ServerUnderTest server, String figures) {
        Instant until = Instant.now().plusSeconds(180);
        while (!server.logTail(2_000).contains("Legacy store legacy-shop: synchronization done: " + figures)) {
            assertThat(Instant.now()).as("a synchronization ends with " + figures).isBefore(until);
            Pause.millis(500);
        }
    }

    /** A refused password grant: no token, Keycloak's invalid_grant. */
    private static void assertRefused(HttpResponse<String> grant) {
        assertThat(grant.statusCode()).as(grant.body()).isNotEqualTo(200);
        assertThat(grant.body()).contains("invalid_grant");
    }

    @Test
    @Order(15)
    void onlyAnAdminStartsASynchronization(ServerUnderTest server) {
        URI sync = URI.create(server.baseUrl() + "/admin/realms/" + BULK + "/user-storage/" + bulkStore
                + "/sync?action=triggerFullSync");
        String customer = accessToken(grant(server, BULK, username(31), password(31)));
        String otherRealm = accessToken(grant(server, FEDERATED, username(103), password(103)));

        long started = startedSynchronizations(server);

        assertThat(post(sync, null).statusCode()).as("no token").isEqualTo(401);
        assertThat(post(sync, customer).statusCode()).as("a customer of the realm").isEqualTo(403);
        assertThat(post(sync, otherRealm).statusCode()).as("a customer of another realm").isEqualTo(403);
        assertThat(startedSynchronizations(server)).as("none of them started one").isEqualTo(started);
    }

    private static long startedSynchronizations(ServerUnderTest server) {
        return server.logTail(5_000).lines().filter(line -> line.contains("synchronization started")).count();
    }

    private static String accessToken(HttpResponse<String> grant) {
        assertThat(grant.statusCode()).as(grant.body()).isEqualTo(200);
        return Http.json(grant.body()).get("access_token").asText();
    }

    private static HttpResponse<String> post(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return Http.send(request.build());
    }

    private static JsonNode sync(AdminApi admin) {
        HttpResponse<String> response = admin.send("POST", "/realms/" + BULK + "/user-storage/" + bulkStore
                + "/sync?action=triggerFullSync", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }

    private static int count(AdminApi admin) {
        return Integer.parseInt(admin.send("GET", "/realms/" + BULK + "/users/count", null).body().strip());
    }

    private static JsonNode user(AdminApi admin, String realm, int n) {
        JsonNode found = admin.get("/realms/" + realm + "/users?exact=true&username=" + username(n));
        assertThat(found).as(username(n) + " in " + realm).hasSize(1);
        return found.get(0);
    }

    private static String credentialData(AdminApi admin, JsonNode user) {
        JsonNode credentials = admin.get("/realms/" + BULK + "/users/" + user.get("id").asText() + "/credentials");
        assertThat(credentials).hasSize(1);
        return credentials.get(0).get("credentialData").asText();
    }


    private static HttpResponse<String> grant(ServerUnderTest server, String realm, String username, String password) {
        return LegacyShop.passwordGrant(server, realm, username, password);
    }
}
