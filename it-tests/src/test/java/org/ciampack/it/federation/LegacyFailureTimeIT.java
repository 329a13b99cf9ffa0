package org.ciampack.it.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciampack.it.federation.LegacyShop.format;
import static org.ciampack.it.federation.LegacyShop.password;
import static org.ciampack.it.federation.LegacyShop.username;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Never leak whether an account exists", tried as an attacker with a stopwatch: a legacy customer's hash (Argon2id
 * 64 MiB, scrypt 2^15, PBKDF2 260,000, bcrypt 10) is slower to check than the realm's own, so without care a wrong
 * password answers later for a legacy customer than for an unknown address or a customer of Keycloak's own. Checked
 * in both modes that check legacy hashes: lazy migration (the legacy database asked) and imported hashes.
 */
@CiamIntegrationTest
class LegacyFailureTimeIT {

    private static final String LAZY = "legacy-timing-lazy";
    private static final String BULK = "legacy-timing-bulk";
    /** Lazy migration with the admin's floor, tried before this node has checked a legacy password there. */
    private static final String FLOOR = "legacy-timing-floor";
    private static final long FLOOR_MILLIS = 900;
    /** The shop's customers with production costs: Argon2id, scrypt, PBKDF2-SHA256 and bcrypt. */
    private static final int[] EXPENSIVE = {1, 2, 3, 12};
    private static final String NATIVE = "native-customer@acme.test";
    /** Another customer of Keycloak's own, for tries sent two at a time. */
    private static final String OVERLAPPED = "native-overlapped@acme.test";
    /** Cheap-hash customers (13 on) that the first-try test meets before anything else did. */
    private static final int CUSTOMERS = 40;
    private static final int ROUNDS = 11;
    /**
     * How far the median of a customer's differences to the same round's unknown address may be from none: a fixed
     * bound, as a leak's size does not grow with the hold (the Argon2id customer's leak before 2026-12-07 was 43-54
     * ms; runs since give -8 to +1 ms).
     */
    private static final long PAIRED_TOLERANCE_MILLIS = 30;

    private static LegacyShop shop;

    @BeforeAll
    static void aShopInTwoRealms(AdminApi admin) {
        shop = LegacyShop.start(CUSTOMERS);
        for (String realm : new String[] {LAZY, BULK, FLOOR}) {
            LegacyShop.newRealm(admin, realm);
            // tries of one account less than a second apart would lock it ("quick login"): Keycloak then answers at
            // once without a check, for a reason of its own
            admin.send("PUT", "/realms/" + realm, Http.JSON.createObjectNode().put("quickLoginCheckMilliSeconds", 1));
            admin.createUser(realm, NATIVE, "Native-Customer-Pass-1", true, Map.of());
            admin.createUser(realm, OVERLAPPED, "Native-Customer-Pass-2", true, Map.of());
        }
        shop.federate(admin, LAZY);
        shop.federate(admin, FLOOR, Map.of("failureFloorMillis", String.valueOf(FLOOR_MILLIS)));
        String bulkStore = shop.federate(admin, BULK, Map.of("importPasswordHashes", "true"));
        HttpResponse<String> sync = admin.send("POST", "/realms/" + BULK + "/user-storage/" + bulkStore
                + "/sync?action=triggerFullSync", null);
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
        Instant until = Instant.now().plusSeconds(120);
        while (admin.get("/realms/" + BULK + "/users?exact=true&username=" + username(12)).isEmpty()) {
            assertThat(Instant.now()).as("the shop imported into " + BULK).isBefore(until);
            Pause.millis(500);
        }
    }

    @AfterAll
    static void cleanUp(AdminApi admin) {
        admin.send("DELETE", "/realms/" + LAZY, null);
        admin.send("DELETE", "/realms/" + BULK, null);
        admin.send("DELETE", "/realms/" + FLOOR, null);
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void inLazyMigrationAWrongPasswordTakesAsLongForAnUnknownAddressAsForALegacyCustomer(ServerUnderTest server) {
        assertWrongPasswordsTakeAsLong(server, LAZY);
    }

    @Test
    void withImportedHashesAWrongPasswordTakesAsLongForAnUnknownAddressAsForALegacyCustomer(ServerUnderTest server) {
        assertWrongPasswordsTakeAsLong(server, BULK);
    }

    /**
     * The first try at an address is what an attacker sends: for a legacy customer not imported yet it also looks them
     * up and imports them. Fresh cheap-hash customers against fresh unknown addresses, in turn.
     */
    @Test
    void theFirstTryAtACustomerNotImportedYetTakesAsLongAsAtAnUnknownAddress(ServerUnderTest server) {
        refused(server, LAZY, username(1)); // this node learns the legacy hashes' cost (Argon2id 64 MiB)
        List<Long> legacy = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        for (int n = 13; n < 13 + 2 * ROUNDS; n++) {
            boolean legacyFirst = n % 2 == 0;
            long a = refused(server, LAZY, legacyFirst ? username(n) : unknownAddress());
            long b = refused(server, LAZY, legacyFirst ? unknownAddress() : username(n));
            legacy.add(legacyFirst ? a : b);
            unknown.add(legacyFirst ? b : a);
        }
        assertAlike(LAZY, pair("an unknown address", median(unknown), "a legacy customer's first try",
                median(legacy)));
    }

    /**
     * A node learns how long legacy checks take from the first ones after its start; until then only the admin's
     * floor ("failed sign-ins take at least") keeps the first legacy customer's wrong password from answering later
     * than an unknown address's. Tried in a realm where this node has checked no legacy password yet.
     */
    @Test
    void beforeTheNodeHasCheckedALegacyPasswordFailuresTakeTheAdminsFloor(ServerUnderTest server) {
        long firstUnknown = refused(server, FLOOR, unknownAddress()); // the realm's very first: cold caches
        long own = refused(server, FLOOR, NATIVE);
        long firstLegacy = refused(server, FLOOR, username(1));
        long unknown = refused(server, FLOOR, unknownAddress());
        Map<String, Long> firstTries = new LinkedHashMap<>();
        firstTries.put("an unknown address", unknown);
        firstTries.put("the first legacy customer (argon2id, looked up and imported)", firstLegacy);
        firstTries.put("a customer of Keycloak's own", own);

        assertThat(firstUnknown).as("the realm's first try").isGreaterThanOrEqualTo(FLOOR_MILLIS);
        firstTries.forEach((who, millis) -> assertThat(millis).as("%s: %s; ms %s", FLOOR, who, firstTries)
                .isGreaterThanOrEqualTo(FLOOR_MILLIS));
        assertAlike(FLOOR, firstTries);
    }

    /**
     * Two tries at once at an account: Keycloak refuses the second while the first runs ("temporarily disabled", as a
     * wrong password). Held as long as the first, or the pair would tell an account from no account.
     */
    @Test
    void twoTriesAtOnceTakeAsLongAtAnAccountAsAtNoAccount(ServerUnderTest server) {
        refused(server, LAZY, username(1));
        List<Long> account = new ArrayList<>();
        List<Long> none = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            account.add(fasterOfTwoAtOnce(server, OVERLAPPED));
            none.add(fasterOfTwoAtOnce(server, unknownAddress()));
        }
        assertAlike(LAZY, pair("no account", median(none), "an account", median(account)));
    }

    private static long fasterOfTwoAtOnce(ServerUnderTest server, String username) {
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> refused(server, LAZY, username));
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> refused(server, LAZY, username));
        return Math.min(first.join(), second.join());
    }

    /**
     * Refused password grants, tried in turn (shuffled) for an unknown address, a customer of Keycloak's own and each
     * expensive legacy customer, round after round: in each round every one against that round's unknown address,
     * and the median of those differences within {@link #PAIRED_TOLERANCE_MILLIS} of none. Paired by
     * round, as an attacker interleaving tries would compare them: when the held time rises between rounds, every
     * one rises alike. The first round is not counted: it imports the customers and lets the server learn the legacy
     * hashes' cost.
     */
    private static void assertWrongPasswordsTakeAsLong(ServerUnderTest server, String realm) {
        Map<String, String> tried = new LinkedHashMap<>();
        String unknown = "an unknown address";
        tried.put(unknown, null);
        tried.put("a customer of Keycloak's own", NATIVE);
        for (int n : EXPENSIVE) {
            tried.put("legacy customer " + n + " (" + format(n) + ")", username(n));
        }
        Map<String, List<Long>> millis = new LinkedHashMap<>();
        tried.keySet().forEach(who -> millis.put(who, new ArrayList<>()));
        List<String> order = new ArrayList<>(tried.keySet());
        for (int round = 0; round <= ROUNDS; round++) {
            Collections.shuffle(order);
            for (String who : order) {
                long took = refused(server, realm, tried.get(who) == null ? unknownAddress() : tried.get(who));
                if (round > 0) {
                    millis.get(who).add(took);
                }
            }
        }
        long tolerance = PAIRED_TOLERANCE_MILLIS;
        Map<String, Long> medians = new LinkedHashMap<>();
        Map<String, Long> pairedDifferences = new LinkedHashMap<>();
        millis.forEach((who, times) -> {
            medians.put(who, median(times));
            List<Long> differences = new ArrayList<>();
            for (int round = 0; round < times.size(); round++) {
                differences.add(times.get(round) - millis.get(unknown).get(round));
            }
            pairedDifferences.put(who, median(differences));
        });
        System.out.println("[ciam-it] " + realm + ": median ms of a refused password grant " + medians
                + "; median difference to the same round's unknown address " + pairedDifferences);
        pairedDifferences.forEach((who, difference) -> assertThat(difference)
                .as("%s: %s; medians in ms %s, paired differences %s", realm, who, medians, pairedDifferences)
                .isBetween(-tolerance, tolerance));
    }

    /** A wrong password's answer, as for no account; how long it took in ms. */
    private static long refused(ServerUnderTest server, String realm, String username) {
        long started = System.nanoTime();
        HttpResponse<String> refused = LegacyShop.passwordGrant(server, realm, username, "Not-The-Password-1");
        long took = (System.nanoTime() - started) / 1_000_000;
        assertThat(refused.statusCode()).as(username + ": " + refused.body()).isEqualTo(400);
        assertThat(refused.body()).as(username).contains("\"error\":\"invalid_grant\"")
                .contains("Invalid user credentials");
        return took;
    }

    private static String unknownAddress() {
        return "nobody-" + UUID.randomUUID() + "@acme.test";
    }

    /** Every median within a tenth (at least 30 ms) of the first one's. */
    private static void assertAlike(String realm, Map<String, Long> medians) {
        long first = medians.values().iterator().next();
        long tolerance = Math.max(30, first / 10);
        System.out.println("[ciam-it] " + realm + ": median ms of a refused password grant " + medians);
        medians.forEach((who, median) -> assertThat(median)
                .as("%s: %s; medians in ms %s", realm, who, medians)
                .isBetween(first - tolerance, first + tolerance));
    }

    private static Map<String, Long> pair(String first, long firstMedian, String second, long secondMedian) {
        Map<String, Long> medians = new LinkedHashMap<>();
        medians.put(first, firstMedian);
        medians.put(second, secondMedian);
        return medians;
    }

    private static long median(List<Long> times) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
