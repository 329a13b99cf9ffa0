package org.ciampack.events;

import java.util.List;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;

/**
 * Which user events the outbox keeps when no route takes them, so that a replay can back-fill a route added later:
 * the types the realm saves in Keycloak's own event store (Realm settings > Events > User events settings), or, when
 * it names none, the types Keycloak saves by default. Keycloak leaves out high-volume types no one audits (token
 * refreshes, userinfo and introspection calls, sessions that expired): each would cost a row and a user read, and
 * an expired session one more row per login, for nothing.
 */
final class KeptForReplay {

    private KeptForReplay() {
    }

    static boolean isKept(RealmModel realm, EventType type) {
        List<String> saved = realm == null ? List.of() : realm.getEnabledEventTypesStream().toList();
        return saved.isEmpty() ? type.isSaveByDefault() : saved.contains(type.name());
    }
}
