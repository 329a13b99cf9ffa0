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
import org.keycloak.models.RealmModel;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.UserStorageProviderModel;

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
        long owed = EqualFailureTime.owed(event.getRealmId(), floor(event.getRealmId()));
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

    /**
     * The longest "failed sign-ins take at least" of the realm's enabled legacy stores, in nanoseconds; 0 without.
     * Read from the realm's components (cached) on each held failure, so it holds on a node before its first
     * legacy check and on every node of a cluster as soon as an admin saves it.
     */
    private long floor(String realmId) {
        RealmModel realm = realmId == null ? null : session.realms().getRealm(realmId);
        if (realm == null) {
            return 0;
        }
        return realm.getComponentsStream(realm.getId(), UserStorageProvider.class.getName())
                .filter(component -> LegacyStoreProviderFactory.ID.equals(component.getProviderId()))
                .filter(component -> new UserStorageProviderModel(component).isEnabled())
                .mapToLong(component -> LegacyStoreConfig.failureFloor(component).toNanos())
                .max().orElse(0);
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
