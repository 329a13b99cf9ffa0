package org.ciampack.risk.stepup;

import java.util.OptionalInt;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * The tries one mailed code gets, counted where guesses sent at the same time cannot each see the same count: one
 * entry per try in Keycloak's single-use store (shared by the cluster's nodes), taken with an atomic put-if-absent
 * before the guess is compared. A counter in the auth session is read, then written, by each request: requests that
 * reach two nodes, or pass Keycloak's single-use page code together, would all be compared against the code.
 */
final class CodeTries {

    private CodeTries() {
    }

    /** The number of this try (1-based), or empty when the code's {@code tries} are taken. */
    static OptionalInt take(SingleUseObjectProvider store, String codeId, int tries, long lifespanSeconds) {
        for (int slot = 1; slot <= tries; slot++) {
            if (store.putIfAbsent("ciam.email-otp.try." + codeId + "." + slot, lifespanSeconds)) {
                return OptionalInt.of(slot);
            }
        }
        return OptionalInt.empty();
    }
}
