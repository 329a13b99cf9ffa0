package org.ciampack.federation;

import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.keycloak.events.Errors;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

/**
 * Holds a failed sign-in until it has taken as long as a legacy customer's would ({@link EqualFailureTime}). Held are
 * the failures answered as a wrong password: an unknown address, a wrong password or code, an account that brute-force
 * detection locks (also while another try of it is running: were that one not held, two tries at once would tell an
 * account from none), a service account's name, and {@code access_denied} (the risk step's refusal and the deny
 * list answer as a wrong password does). Keycloak sends a failure's event at once, on the request's own thread,
 * in a transaction of its own, before it answers: the pause comes once that transaction has ended (its database
 * connection given back) and delays the answer, which is the point.
 */
final class EqualFailureTimeListener implements EventListenerProvider {

    private static final Set<String> HELD = Set.of(Errors.USER_NOT_FOUND, Errors.INVALID_USER_CREDENTIALS,
            Errors.USER_TEMPORARILY_DISABLED, Errors.USER_DISABLED, Errors.INVALID_USER, Errors.ACCESS_DENIED);

    private final KeycloakSession session;

    EqualFailureTimeListener(KeycloakSession session) {
        this.session = session;
    }

    static boolean held(Event event) {
        return event.getType() == EventType.LOGIN_ERROR && HELD.contains(event.getError());
    }

    @Override
    public void onEvent(Event event) {
        if (!held(event)) {
            return;
        }
        long owed = EqualFailureTime.owed(event.getRealmId());
        if (owed <= 0) {
            return;
        }
        if (!session.getTransactionManager().isActive()) {
            pause(owed);
            return;
        }
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                pause(owed);
            }

            @Override
            protected void rollbackImpl() {
                pause(owed);
            }
        });
    }

    private static void pause(long nanos) {
        long until = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !Thread.currentThread().isInterrupted(); left = until - System.nanoTime()) {
            LockSupport.parkNanos(left); // wakes early now and then: park again for the rest
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
