package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;

/** A request's legacy work on its thread, with sessions and transactions as plain stand-ins. */
class EqualFailureTimeRequestTest {

    private static final long MS = 1_000_000;

    @Test
    void aFailureOwesTheRealmsTimeLessWhatItsRequestSpentAndIsHeldOnce() {
        String realm = realm(300 * MS);
        Request request = new Request();

        EqualFailureTime.timed(request.session, () -> pause(20));
        long owed = EqualFailureTime.owed(realm);

        assertThat(owed).as("375 ms (the realm's 300 and a quarter) less 20").isBetween(275 * MS, 361 * MS);
        assertThat(EqualFailureTime.owed(realm)).as("a second failure in the same request").isZero();
        request.end();
        assertThat(EqualFailureTime.owed(realm)).as("the next request, with no legacy work")
                .isGreaterThan(365 * MS);
    }

    @Test
    void workInATransactionNestedOnTheSameThreadBelongsToTheRequest() {
        String realm = realm(300 * MS);
        Request request = new Request();
        EqualFailureTime.timed(request.session, () -> pause(20));

        Request nested = new Request(); // an event's own transaction, a listener's lookup in it
        EqualFailureTime.timed(nested.session, () -> pause(20));
        nested.end();

        assertThat(EqualFailureTime.owed(realm)).as("both lookups spent").isBetween(275 * MS, 341 * MS);
        request.end();
    }

    @Test
    void whatAnEndedRequestSpentIsNotCountedForTheNext() {
        String realm = realm(300 * MS);
        Request first = new Request();
        EqualFailureTime.timed(first.session, () -> pause(50));
        first.end();

        Request next = new Request();
        assertThat(EqualFailureTime.owed(realm)).isGreaterThan(365 * MS);
        next.end();
    }

    @Test
    void aFailedCheckALittleSlowerThanThoseBeforeIsHeldToTheirTimeAndRaisesItForTheNext() {
        String realm = realm(300 * MS);
        Request failed = new Request();
        EqualFailureTime.check(failed.session, realm, () -> !pause(340));

        assertThat(EqualFailureTime.owed(realm)).as("375 ms (the realm's 300 and a quarter) less 340")
                .isBetween(15 * MS, 36 * MS);
        failed.end();
        Request next = new Request();
        assertThat(EqualFailureTime.owed(realm)).as("a quarter over 340 ms").isBetween(424 * MS, 450 * MS);
        next.end();
    }

    /**
     * A failed check counts from its start to the failure's event: what the hash costs after it (the collector's work
     * on a memory-hard hash's garbage) is legacy work too; the realm's own hash, which every failure pays, is not.
     */
    @Test
    void aFailedCheckCountsToItsEventLessTheRealmsOwnHash() {
        String realm = "realm-" + UUID.randomUUID();
        Request failed = new Request();
        EqualFailureTime.check(failed.session, realm, () -> !pause(50));
        EqualFailureTime.realmHash(failed.session, realm, () -> pause(30));
        pause(40); // the collector, after the hash
        EqualFailureTime.owed(realm);
        failed.end();

        Request next = new Request();
        assertThat(EqualFailureTime.owed(realm)).as("a quarter over 90 ms: the check and what came after it")
                .isBetween(112 * MS, 140 * MS);
        next.end();
    }

    /** A realm whose legacy checks took {@code nanos} (a successful check of that long, outside any request). */
    private static String realm(long nanos) {
        String realm = "realm-" + UUID.randomUUID();
        Request outside = new Request();
        outside.active = false;
        EqualFailureTime.check(outside.session, realm, () -> pause(nanos / MS)); // a match: no failure to wait for
        return realm;
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
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
