package org.ciampack.common;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.StorageId;
import org.keycloak.provider.ProviderEventListener;

/**
 * What the pack keeps about a user goes when Keycloak deletes the user. Keycloak says so in two ways, and neither
 * covers every deletion:
 * <ul>
 *   <li>{@link UserModel.UserPreRemovedEvent}, which its user storage sends before the deletions it is asked for:
 *       an admin, the account console's "Delete account", an organization removing a managed member (that path
 *       sends nothing else; a workflow step that deletes only the local copy sends only the second);</li>
 *   <li>{@link UserModel.UserRemovedEvent}, which its {@code UserManager} sends after a deletion that succeeded,
 *       including the copy of a federated user it drops because the store no longer has them (that path sends
 *       nothing else).</li>
 * </ul>
 * Either only notes the user. The clean-up runs once per user as the deleting transaction commits (its prepare
 * phase, still inside it), and only if the user is gone by then (for a user Keycloak keeps, the second event says so;
 * otherwise a lookup does): a deletion that a user storage refused and a caller
 * committed anyway (Keycloak's "Delete account" and an organization's member removal ignore the answer) leaves the
 * user and what the pack keeps about them as they were; a rolled back one runs nothing. Bulk removals (a realm, a
 * user storage, a store's "Remove imported users") send neither event.
 */
public final class UserDeletions {

    private static final Logger LOG = Logger.getLogger(UserDeletions.class);

    /** A module's clean-up for one deleted user, in the deleting session. */
    @FunctionalInterface
    public interface Cleanup {
        void userDeleted(KeycloakSession session, RealmModel realm, String userId);
    }

    private UserDeletions() {
    }

    /** Runs {@code cleanup} once for every user deleted one by one, whichever of the two events says so. */
    public static ProviderEventListener everyDeletion(Cleanup cleanup) {
        return noting(cleanup, true);
    }

    /**
     * Runs {@code cleanup} for the deletions Keycloak was asked for only (the first kind above): not for a federated
     * copy Keycloak dropped on its own, which comes back with the store's row.
     */
    public static ProviderEventListener requestedDeletion(Cleanup cleanup) {
        return noting(cleanup, false);
    }

    private static ProviderEventListener noting(Cleanup cleanup, boolean droppedCopiesToo) {
        String key = UserDeletions.class.getName() + "/" + UUID.randomUUID(); // one list per listener and session
        return event -> {
            if (event instanceof UserModel.UserPreRemovedEvent removing) {
                of(key, cleanup, removing.getKeycloakSession())
                        .asked(removing.getRealm(), removing.getUser().getId());
            } else if (event instanceof UserModel.UserRemovedEvent removed) {
                of(key, cleanup, removed.getKeycloakSession())
                        .done(removed.getRealm(), removed.getUser().getId(), droppedCopiesToo);
            }
        };
    }

    private static Deletions of(String key, Cleanup cleanup, KeycloakSession session) {
        if (session.getAttribute(key) instanceof Deletions deletions) {
            return deletions;
        }
        Deletions deletions = new Deletions(session, cleanup);
        session.setAttribute(key, deletions);
        return deletions;
    }

    /** One listener's deletions in one session: noted until the session's commit, each user dealt with once. */
    private static final class Deletions extends AbstractKeycloakTransaction {

        private final KeycloakSession session;
        private final Cleanup cleanup;
        private final Map<String, RealmModel> noted = new LinkedHashMap<>();
        private final Set<String> gone = new HashSet<>();
        /** Cleaned or kept already: a lookup at the commit may drop a copy, which announces it again. */
        private final Set<String> handled = new HashSet<>();
        private boolean enlisted;
        private boolean committing;

        Deletions(KeycloakSession session, Cleanup cleanup) {
            this.session = session;
            this.cleanup = cleanup;
        }

        /** A deletion about to be tried: cleaned up at the commit if the user is gone by then. */
        void asked(RealmModel realm, String userId) {
            if (handled.contains(userId)) {
                return;
            }
            if (!waitsForCommit()) {
                cleanNow(realm, userId);
                return;
            }
            // The lookup at the commit needs the session's user provider: made now, while the transaction takes
            // members (the cache's provider enlists itself, which a commit under way refuses).
            session.users();
            noted.putIfAbsent(userId, realm);
        }

        /**
         * A deletion done, as {@code UserManager} says after a removal that answered true. For a user Keycloak keeps,
         * the row is gone; a user storage may answer true and keep its user (Keycloak's LDAP store, read-only or
         * unsynced, does), so for a user it holds the commit looks them up as after the first event.
         */
        void done(RealmModel realm, String userId, boolean droppedCopiesToo) {
            if (handled.contains(userId) || !droppedCopiesToo && !noted.containsKey(userId)) {
                return;
            }
            if (!waitsForCommit()) {
                cleanNow(realm, userId);
                return;
            }
            noted.putIfAbsent(userId, realm);
            if (StorageId.isLocalStorage(userId)) {
                gone.add(userId);
            } else {
                session.users(); // for the lookup at the commit, as in asked()
            }
        }

        /** Whether the clean-up can wait for the commit: enlisted with it, and it has not begun. */
        private boolean waitsForCommit() {
            if (committing) {
                return false; // a deletion during the commit's prepare phase: as it is announced
            }
            KeycloakTransactionManager transaction = session.getTransactionManager();
            if (!enlisted && transaction.isActive()) {
                try {
                    transaction.enlistPrepare(this);
                    enlisted = true;
                } catch (IllegalStateException completing) {
                    return false; // refused once the commit has begun
                }
            }
            return enlisted;
        }

        private void cleanNow(RealmModel realm, String userId) {
            handled.add(userId);
            cleanup.userDeleted(session, realm, userId);
        }

        @Override
        protected void commitImpl() {
            committing = true;
            noted.forEach((userId, realm) -> {
                if (!handled.add(userId)) {
                    return;
                }
                if (gone.contains(userId) || session.users().getUserById(realm, userId) == null) {
                    cleanup.userDeleted(session, realm, userId);
                } else {
                    LOG.debugf("Realm %s: user %s is still there after their deletion (their store kept them); "
                            + "their data stays", realm.getName(), userId);
                }
            });
        }

        @Override
        protected void rollbackImpl() {
            committing = true;
        }
    }
}
