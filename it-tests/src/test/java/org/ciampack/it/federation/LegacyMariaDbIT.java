package org.ciampack.it.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciampack.it.federation.LegacyShop.email;
import static org.ciampack.it.federation.LegacyShop.format;
import static org.ciampack.it.federation.LegacyShop.password;
import static org.ciampack.it.federation.LegacyShop.username;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The legacy store on MariaDB (Debian's server, Keycloak's MariaDB driver): the shop's customers with every hash
 * format, read by a database user whose password the store takes from Keycloak's vault, in a realm of Keycloak's
 * own flows.
 */
@CiamIntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LegacyMariaDbIT {

    private static final int CUSTOMERS = 300;
    private static final String REALM = "legacy-mariadb";

    private static LegacyShop shop;

    @BeforeAll
    static void aShopOnMariaDb(AdminApi admin) {
        shop = LegacyShop.startOnMariaDb(CUSTOMERS);
        LegacyShop.newRealm(admin, REALM);
        shop.federate(admin, REALM, Map.of("outagePauseSeconds", "1"));
    }

    @AfterAll
    static void cleanUp(AdminApi admin) {
        admin.send("DELETE", "/realms/" + REALM, null);
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    @Order(1)
    void everyHashFormatMigratesFromMariaDb(ServerUnderTest server, AdminApi admin) {
        for (int n = 1; n <= LegacyShop.FORMATS.size(); n++) {
            assertThat(grant(server, username(n), password(n)).statusCode()).as(format(n)).isEqualTo(200);
            JsonNode user = admin.get("/realms/" + REALM + "/users?exact=true&email=" + Http.encode(email(n))).get(0);
            assertThat(user.has("federationLink")).as(format(n) + ": migrated").isFalse();
            assertThat(admin.get("/realms/" + REALM + "/users/" + user.get("id").asText() + "/credentials").get(0)
                    .get("credentialData").asText()).contains("\"algorithm\":\"argon2\"");
            assertThat(grant(server, email(n), password(n)).statusCode()).as("by e-mail, Keycloak's credential now")
                    .isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void aWrongPasswordAnswersAsForAnUnknownCustomerAndCounts(ServerUnderTest server, AdminApi admin) {
        HttpResponse<String> wrong = grant(server, username(40), "Not-" + password(40));
        HttpResponse<String> unknown = grant(server, "legacy-none-" + UUID.randomUUID(), password(40));

        assertThat(wrong.statusCode()).isEqualTo(unknown.statusCode()).isNotEqualTo(200);
        assertThat(Http.json(wrong.body())).isEqualTo(Http.json(unknown.body()));
        String id = admin.get("/realms/" + REALM + "/users?exact=true&username=" + username(40)).get(0).get("id")
                .asText();
        assertThat(admin.bruteForceStatus(REALM, id).get("numFailures").asInt()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void searchAndCountTakeLikeCharactersLiterallyAndInjectionsFindNothing(ServerUnderTest server, AdminApi admin) {
        // legacy-1, legacy-10..19, legacy-100..199: local (migrated above) or not, each once
        assertThat(count(admin, "legacy-1")).isEqualTo(111);
        assertThat(count(admin, "legacy_1")).as("'_' is a character here, not a LIKE wildcard").isZero();
        assertThat(count(admin, "%' or 1=1 -- ")).isZero();
        assertThat(admin.get("/realms/" + REALM + "/users?first=0&max=30&search=legacy-2")).hasSize(30);
        for (String hostile : new String[] {"' or '1'='1", "legacy-3' -- ", "legacy-3'; drop table customers; -- ",
                "legacy-3\\"}) {
            assertThat(grant(server, hostile, password(3)).statusCode()).as(hostile).isNotEqualTo(200);
        }
        assertThat(shop.query("select count(*) from customers")).containsExactly(String.valueOf(CUSTOMERS));
    }

    @Test
    @Order(4)
    void withMariaDbDownMigratedCustomersSignInAndLegacyOnesOnceItIsBack(ServerUnderTest server, AdminApi admin) {
        shop.stop();
        try {
            assertThat(grant(server, username(2), password(2)).statusCode()).as("migrated").isEqualTo(200);
            assertThat(grant(server, username(50), password(50)).statusCode()).as("not migrated").isNotEqualTo(200);
            assertThat(admin.send("GET", "/realms/" + REALM + "/users?search=legacy&max=5", null).statusCode())
                    .as("the admin user list answers").isEqualTo(200);
        } finally {
            shop.restart();
        }
        Pause.millis(1_500); // past the store's pause after a failure
        assertThat(grant(server, username(50), password(50)).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void aDatabasePasswordChangedInTheVaultIsUsedForNewConnections(ServerUnderTest server) throws IOException {
        String rotated = "Rotated-" + UUID.randomUUID();
        shop.query("alter user 'shop'@'127.0.0.1' identified by '" + rotated + "'");
        Files.writeString(LocalKeycloak.vault().resolve(REALM + "_" + LegacyShop.VAULT_KEY), rotated);

        assertThat(grant(server, username(60), password(60)).statusCode()).as("a legacy customer after the rotation")
                .isEqualTo(200);
    }

    private static int count(AdminApi admin, String search) {
        return Integer.parseInt(admin.send("GET", "/realms/" + REALM + "/users/count?search=" + Http.encode(search),
                null).body().strip());
    }

    private static HttpResponse<String> grant(ServerUnderTest server, String username, String password) {
        return LegacyShop.passwordGrant(server, REALM, username, password);
    }
}
