package org.ciampack.events.outbox;

import java.util.List;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;

/**
 * Which user events the outbox keeps when no route wants them, so that a replay can back-fill a route added later:
 * every error, and the types Keycloak's own event store saves (the realm's Realm settings > Events > User events
 * settings, or Keycloak's defaults when it names none; also where the realm does not save events at all, as a route
 * may want them back). The defaults leave out high-volume types no one audits
 * (token refreshes, userinfo and introspection calls, sessions that expired): each would cost a row and a user read,
 * and an expired session one more row per login, for nothing.
 */
public final class KeptForReplay {

    private KeptForReplay() {
    }

    public static boolean isKept(RealmModel realm, EventType type) {
        if (type.name().endsWith("_ERROR")) {
            return true; // a lockout, a forged token: what a SIEM back-fill is for
        }
        List<String> saved = realm == null ? List.of() : realm.getEnabledEventTypesStream().toList();
        return saved.isEmpty() ? type.isSaveByDefault() : saved.contains(type.name());
    }

    /** As {@link #isKept(RealmModel, EventType)} for a type as the outbox stores it; a name Keycloak lacks is kept. */
    public static boolean isKept(RealmModel realm, String type) {
        try {
            return isKept(realm, EventType.valueOf(type));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
