package org.ciampack.risk.stepup;

import java.util.Optional;
import java.util.OptionalInt;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * How many sign-in codes one customer may have mailed in 24 hours, whatever the sign-ins: each sign-in has its own
 * few codes, and someone who knows the password could otherwise start sign-in after sign-in and fill the mailbox
 * (and the realm's mail quota). The count is {@link Slots} in Keycloak's single-use store, shared by the cluster's
 * nodes: one entry per mailed code, each kept 24 hours, so that concurrent sign-ins never both take the last one.
 */
final class DailyCodes {

    static final long WINDOW_SECONDS = 24 * 60 * 60;

    private DailyCodes() {
    }

    /** Takes one of the customer's {@code perDay} codes: the slot taken, to give back if no mail went out. */
    static Optional<String> take(KeycloakSession session, RealmModel realm, UserModel user, int perDay) {
        String key = "ciam.email-otp.daily." + realm.getId() + "." + user.getId();
        OptionalInt slot = Slots.take(session.singleUseObjects(), key, perDay, WINDOW_SECONDS);
        return slot.isPresent() ? Optional.of(key + "." + slot.getAsInt()) : Optional.empty();
    }

    /** Gives a slot back: the mail it was taken for could not be sent (a mail server that is down costs no codes). */
    static void giveBack(KeycloakSession session, String slot) {
        session.singleUseObjects().remove(slot);
    }
}
