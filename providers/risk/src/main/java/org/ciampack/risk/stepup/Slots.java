package org.ciampack.risk.stepup;

import java.util.OptionalInt;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * A count that requests sent at the same time cannot each see the same value of: one entry per unit in Keycloak's
 * single-use store (shared by the cluster's nodes), taken with an atomic put-if-absent. A counter in the auth session
 * is read, then written, by each request: requests that reach two nodes, or pass Keycloak's single-use page code
 * together, would all pass it. Used for a mailed code's tries (before a guess is compared) and a sign-in's codes
 * (before one is mailed).
 */
final class Slots {

    private Slots() {
    }

    /** The number of the slot taken under {@code key} (1-based), or empty when all {@code count} are taken. */
    static OptionalInt take(SingleUseObjectProvider store, String key, int count, long lifespanSeconds) {
        for (int slot = 1; slot <= count; slot++) {
            if (store.putIfAbsent(key + "." + slot, lifespanSeconds)) {
                return OptionalInt.of(slot);
            }
        }
        return OptionalInt.empty();
    }

    /** Gives a slot back, e.g. when the mail it was taken for could not be sent. */
    static void giveBack(SingleUseObjectProvider store, String key, int slot) {
        store.remove(key + "." + slot);
    }
}
