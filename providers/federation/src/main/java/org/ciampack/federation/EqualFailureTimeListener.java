package org.ciampack.federation;

import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.keycloak.events.Errors;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;

/**
 * Holds a failed password sign-in until it has taken as long as a legacy customer's would ({@link EqualFailureTime}).
 * Failed means an unknown address, a wrong password or code, and {@code access_denied}: the risk step's refusal and
 * the deny list answer as a wrong password does, and must take as long too. Keycloak sends a failure's event at
 * once, on the request's own thread, before it answers: the pause delays the answer, which is the point.
 */
final class EqualFailureTimeListener implements EventListenerProvider {

    static final EqualFailureTimeListener INSTANCE = new EqualFailureTimeListener();
    private static final Set<String> HELD = Set.of(Errors.USER_NOT_FOUND, Errors.INVALID_USER_CREDENTIALS,
            Errors.ACCESS_DENIED);

    private EqualFailureTimeListener() {
    }

    @Override
    public void onEvent(Event event) {
        if (!held(event)) {
            return;
        }
        long owed = EqualFailureTime.owed(event.getRealmId());
        long until = System.nanoTime() + owed;
        for (long left = owed; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left); // wakes early now and then: park again for the rest
        }
    }

    static boolean held(Event event) {
        return event.getType() == EventType.LOGIN_ERROR && HELD.contains(event.getError());
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
