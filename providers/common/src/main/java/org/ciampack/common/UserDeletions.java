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
    /** The users of a session cleaned up at once, announced while its commit was under way. */
    private static final String AT_ONCE = "/at-once";

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
                asked(key, cleanup, removing.getKeycloakSession(), removing.getRealm(), removing.getUser().getId());
            } else if (event instanceof UserModel.UserRemovedEvent removed) {
                done(key, cleanup, removed.getKeycloakSession(), removed.getRealm(), removed.getUser().getId(),
                        droppedCopiesToo);
            }
        };
    }

    /** A deletion about to be tried: cleaned up at the commit if the user is gone by then. */
    private static void asked(String key, Cleanup cleanup, KeycloakSession session, RealmModel realm, String userId) {
        if (handledAlready(key, session, userId)) {
            return;
        }
        Deleted deleted = deletions(key, cleanup, session);
        if (deleted == null) {
            atOnce(key, cleanup, session, realm, userId); // no commit left to wait for: as it is announced
            return;
        }
        // The lookup at the commit needs the session's user provider; made now, while the transaction takes members.
        session.users();
        deleted.users.putIfAbsent(userId, realm);
    }

    /**
     * A deletion done, as {@code UserManager} says after a removal that answered true. For a user Keycloak keeps, the
     * row is gone; a user storage may answer true and keep its user (Keycloak's LDAP store, read-only or unsynced,
     * does), so for a user it holds the commit looks them up as after the first event.
     */
    private static void done(String key, Cleanup cleanup, KeycloakSession session, RealmModel realm, String userId,
            boolean droppedCopiesToo) {
        Deleted noted = (Deleted) session.getAttribute(key);
        boolean asked = noted != null && !noted.ran && noted.users.containsKey(userId);
        if (!asked && !droppedCopiesToo || handledAlready(key, session, userId)) {
            return;
        }
        Deleted deleted = asked ? noted : deletions(key, cleanup, session);
        if (deleted == null) {
            atOnce(key, cleanup, session, realm, userId);
            return;
        }
        deleted.users.putIfAbsent(userId, realm);
        if (StorageId.isLocalStorage(userId)) {
            deleted.gone.add(userId);
        } else {
            session.users(); // for the lookup at the commit, as in asked()
        }
    }

    /**
     * Whether the commit has dealt with this user already, so that a second announcement changes nothing: a lookup
     * at the commit may drop a copy, and a deletion during the commit is announced twice like any other.
     */
    private static boolean handledAlready(String key, KeycloakSession session, String userId) {
        Deleted noted = (Deleted) session.getAttribute(key);
        return noted != null && noted.ran && noted.users.containsKey(userId)
                || session.getAttribute(key + AT_ONCE) instanceof Set<?> cleaned && cleaned.contains(userId);
    }

    @SuppressWarnings("unchecked")
    private static void atOnce(String key, Cleanup cleanup, KeycloakSession session, RealmModel realm, String userId) {
        if (!(session.getAttribute(key + AT_ONCE) instanceof Set<?>)) {
            session.setAttribute(key + AT_ONCE, new HashSet<String>());
        }
        ((Set<String>) session.getAttribute(key + AT_ONCE)).add(userId);
        cleanup.userDeleted(session, realm, userId);
    }

    /** The session's deletions for this listener, enlisted with its commit; null when the commit is under way. */
    private static Deleted deletions(String key, Cleanup cleanup, KeycloakSession session) {
        Deleted deleted = (Deleted) session.getAttribute(key);
        if (deleted != null && !deleted.ran) {
            return deleted;
        }
        deleted = new Deleted(session, cleanup);
        KeycloakTransactionManager transaction = session.getTransactionManager();
        if (!transaction.isActive()) {
            return null;
        }
        try {
            transaction.enlistPrepare(deleted); // refused once the commit has begun (a deletion in its prepare phase)
        } catch (IllegalStateException completing) {
            return null;
        }
        session.setAttribute(key, deleted);
        return deleted;
    }

    /** The users a session deleted, cleaned up as it commits. */
    private static final class Deleted extends AbstractKeycloakTransaction {

        private final KeycloakSession session;
        private final Cleanup cleanup;
        private final Map<String, RealmModel> users = new LinkedHashMap<>();
        private final Set<String> gone = new HashSet<>();
        private boolean ran;

        Deleted(KeycloakSession session, Cleanup cleanup) {
            this.session = session;
            this.cleanup = cleanup;
        }

        @Override
        protected void commitImpl() {
            ran = true;
            users.forEach((userId, realm) -> {
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
            ran = true;
        }
    }
}
