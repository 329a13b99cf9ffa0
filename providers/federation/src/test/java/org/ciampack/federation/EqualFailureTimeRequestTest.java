package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;

/**
 * A request's legacy work on its thread, with sessions and transactions as plain stand-ins and a clock the test
 * turns: work "takes" exactly what it says.
 */
class EqualFailureTimeRequestTest {

    private static final long MS = 1_000_000;

    private static long now = 1_000 * MS;
    private final List<Request> requests = new ArrayList<>();

    @BeforeEach
    void turnTheClockByHand() {
        EqualFailureTime.clock = () -> now;
    }

    @AfterEach
    void endEveryRequestAndGiveTheClockBack() {
        requests.stream().filter(request -> request.active).forEach(Request::end);
        EqualFailureTime.clock = System::nanoTime;
    }

    @Test
    void aFailureOwesTheRealmsTimeLessWhatItsRequestSpentAndIsHeldOnce() {
        String realm = realm(300);
        Request request = request();

        EqualFailureTime.timed(request.session, () -> pause(20));
        assertOwed(EqualFailureTime.owed(realm), 355, "375 ms (the realm's 300 and a quarter) less 20");
        assertThat(EqualFailureTime.owed(realm)).as("a second failure in the same request").isZero();
        request.end();
        assertOwed(EqualFailureTime.owed(realm), 375, "the next request, with no legacy work");
    }

    @Test
    void workInATransactionNestedOnTheSameThreadBelongsToTheRequest() {
        String realm = realm(300);
        Request request = request();
        EqualFailureTime.timed(request.session, () -> pause(20));

        Request nested = request(); // an event's own transaction, a listener's lookup in it
        EqualFailureTime.timed(nested.session, () -> pause(20));
        nested.end();

        assertOwed(EqualFailureTime.owed(realm), 335, "both lookups spent");
    }

    @Test
    void whatAnEndedRequestSpentIsNotCountedForTheNext() {
        String realm = realm(300);
        Request first = request();
        EqualFailureTime.timed(first.session, () -> pause(50));
        first.end();

        request();
        assertOwed(EqualFailureTime.owed(realm), 375, "a request with no legacy work");
    }

    @Test
    void aFailedCheckALittleSlowerThanThoseBeforeIsHeldToTheirTimeAndRaisesItForTheNext() {
        String realm = realm(300);
        Request failed = request();
        EqualFailureTime.check(failed.session, realm, () -> !pause(340));

        assertOwed(EqualFailureTime.owed(realm), 35, "375 ms (the realm's 300 and a quarter) less 340");
        failed.end();
        request();
        assertOwed(EqualFailureTime.owed(realm), 425, "a quarter over 340 ms");
    }

    @Test
    void aRightPasswordRefusedLaterInTheRequestIsHeldAsAWrongOneAndTeachesNothing() {
        String realm = realm(300);
        Request wrong = request(); // the realm's own hash takes 30 ms
        EqualFailureTime.check(wrong.session, realm, () -> !pause(50));
        EqualFailureTime.realmHash(wrong.session, realm, () -> pause(30));
        assertOwed(EqualFailureTime.owed(realm), 325, "a wrong password: 375 ms less its check's 50");
        wrong.end();

        Request migrated = request(); // lazy migration: the match is followed by the migration, with a realm hash
        EqualFailureTime.check(migrated.session, realm, () -> pause(50));
        EqualFailureTime.timed(migrated.session,
                () -> EqualFailureTime.realmHash(migrated.session, realm, () -> pause(30)) && pause(20));
        pause(150); // the risk step: not legacy work
        assertOwed(EqualFailureTime.owed(realm), 305, "375 ms less the check's 50 and the migration's writes' 20");
        migrated.end();

        Request federated = request(); // federated: no hash of the realm's own after the match
        EqualFailureTime.check(federated.session, realm, () -> pause(50));
        EqualFailureTime.matchWithoutRealmHash(federated.session);
        assertOwed(EqualFailureTime.owed(realm), 355, "375 ms less 50, and the typical realm hash's 30 more");
        federated.end();

        request();
        assertOwed(EqualFailureTime.owed(realm), 375, "nothing learned from the matches");
    }

    /**
     * A failed check counts from its start to the end of the realm's own hash that follows it, less that hash (which
     * every failure pays): what the legacy hash costs after it (the collector's work on a memory-hard hash's garbage)
     * is legacy work too; what comes after the realm's hash (the event's listeners) every failure pays.
     */
    @Test
    void aFailedCheckCountsToTheEndOfTheRealmsOwnHashLessThatHash() {
        String realm = "realm-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) { // the realm's own hash typically takes 30 ms
            Request typical = request();
            EqualFailureTime.check(typical.session, realm, () -> !pause(10));
            EqualFailureTime.realmHash(typical.session, realm, () -> pause(30));
            EqualFailureTime.owed(realm);
            typical.end();
        }

        Request failed = request();
        EqualFailureTime.check(failed.session, realm, () -> !pause(50));
        pause(40); // the collector, after the legacy hash
        EqualFailureTime.realmHash(failed.session, realm, () -> pause(45)); // slowed by the collector too
        pause(60); // other listeners, before the failure's event: every failure pays them
        EqualFailureTime.owed(realm);
        failed.end();

        request();
        assertOwed(EqualFailureTime.owed(realm), 131, "a quarter over 105 ms: the check, the collector's 40 and the "
                + "15 the realm's hash took over its typical 30");
    }

    @Test
    void theAdminsFloorHoldsFailuresBeforeTheNodeHasCheckedALegacyPassword() {
        String realm = "realm-" + UUID.randomUUID();
        Request unknown = request();
        assertOwed(EqualFailureTime.owed(realm, 400 * MS), 400, "an unknown address");
        unknown.end();

        Request lookedUp = request();
        EqualFailureTime.timed(lookedUp.session, () -> pause(20));
        assertOwed(EqualFailureTime.owed(realm, 400 * MS), 380, "less its lookup");
        lookedUp.end();

        String learned = realm(600);
        request().end();
        assertOwed(EqualFailureTime.owed(learned, 400 * MS), 750, "a learned time over the floor");
    }

    @Test
    void noFailureIsHeldOverTheBoundSoThatNoneAnswersLaterThanTheOthers() {
        String realm = realm(900); // held a quarter over: 1125 ms, over the default bound of 1000
        request().end();
        assertOwed(EqualFailureTime.owed(realm), 1000, "an unknown address");

        Request legacy = request();
        EqualFailureTime.check(legacy.session, realm, () -> !pause(700));
        assertOwed(EqualFailureTime.owed(realm, 3_000 * MS), 300, "a legacy customer's 700 ms check, the floor "
                + "over the bound too");
    }

    /** A realm whose legacy checks took {@code millis} (a successful check of that long, outside any request). */
    private String realm(long millis) {
        String realm = "realm-" + UUID.randomUUID();
        Request outside = request();
        outside.active = false;
        EqualFailureTime.check(outside.session, realm, () -> pause(millis)); // a match: no failure to wait for
        return realm;
    }

    /** Work that takes {@code millis}: the clock turns that far. */
    private static boolean pause(long millis) {
        now += millis * MS;
        return true;
    }

    private Request request() {
        Request request = new Request();
        requests.add(request);
        return request;
    }

    private static void assertOwed(long owed, long millis, String why) {
        assertThat(owed).as(why).isCloseTo(millis * MS, within(MS)); // a realm's time lets go by the hour
    }

    /** A session whose transaction is active until {@link #end()}, which runs what was enlisted after completion. */
    private static final class Request {
        boolean active = true;
        final List<KeycloakTransaction> afterCompletion = new ArrayList<>();
        final KeycloakTransactionManager transaction = (KeycloakTransactionManager) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {KeycloakTransactionManager.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isActive" -> active;
                    case "enlistAfterCompletion" -> afterCompletion.add((KeycloakTransaction) args[0]);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        final KeycloakSession session = (KeycloakSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeycloakSession.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getTransactionManager")) {
                        return transaction;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });

        void end() {
            for (KeycloakTransaction enlisted : afterCompletion) {
                enlisted.begin();
                enlisted.commit();
            }
            active = false;
        }
    }
}
