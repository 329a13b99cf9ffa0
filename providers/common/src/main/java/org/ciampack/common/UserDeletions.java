package org.ciampack.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEventListener;

/**
 * What the pack keeps about a user goes when Keycloak deletes the user. Keycloak says so in two ways, and neither
 * covers every deletion:
 * <ul>
 *   <li>{@link UserModel.UserPreRemovedEvent}, which its user storage sends before the deletions it is asked for:
 *       an admin, the account console's "Delete account", an organization removing a managed member (that path
 *       sends nothing else; a workflow step that deletes only the local copy sends only the second);</li>
 *   <li>{@link UserModel.UserRemovedEvent}, which its {@code UserManager} sends after a deletion, including the
 *       copy of a federated user it drops because the store no longer has them (that path sends nothing else).</li>
 * </ul>
 * Both run in the deleting transaction, so a deletion that fails with an error takes the clean-up back with it; one
 * that returns false to a caller who commits anyway (a user only a refusing user storage holds) would not. Bulk
 * removals (a realm, a user storage, a store's "Remove imported users") send neither.
 */
public final class UserDeletions {

    /** A module's clean-up for one deleted user, in the deleting session. */
    @FunctionalInterface
    public interface Cleanup {
        void userDeleted(KeycloakSession session, RealmModel realm, String userId);
    }

    private UserDeletions() {
    }

    /** Runs {@code cleanup} once for every user deleted one by one, whichever of the two events says so. */
    public static ProviderEventListener everyDeletion(Cleanup cleanup) {
        return event -> {
            if (event instanceof UserModel.UserPreRemovedEvent removing) {
                removing.getKeycloakSession().setAttribute(announced(removing.getUser().getId()), Boolean.TRUE);
                cleanup.userDeleted(removing.getKeycloakSession(), removing.getRealm(), removing.getUser().getId());
            } else if (event instanceof UserModel.UserRemovedEvent removed
                    && removed.getKeycloakSession().getAttribute(announced(removed.getUser().getId())) == null) {
                cleanup.userDeleted(removed.getKeycloakSession(), removed.getRealm(), removed.getUser().getId());
            }
        };
    }

    /**
     * Runs {@code cleanup} for the deletions Keycloak was asked for only (the first kind above): not for a federated
     * copy Keycloak dropped on its own, which comes back with the store's row.
     */
    public static ProviderEventListener requestedDeletion(Cleanup cleanup) {
        return event -> {
            if (event instanceof UserModel.UserPreRemovedEvent removing) {
                cleanup.userDeleted(removing.getKeycloakSession(), removing.getRealm(), removing.getUser().getId());
            }
        };
    }

    private static String announced(String userId) {
        return UserDeletions.class.getName() + "/" + userId;
    }
}
