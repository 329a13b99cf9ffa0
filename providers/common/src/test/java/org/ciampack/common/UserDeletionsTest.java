package org.ciampack.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.provider.ProviderEventListener;

class UserDeletionsTest {

    private final List<String> cleaned = new ArrayList<>();
    private final RealmModel realm = fake(RealmModel.class, Map.of("getId", "realm-1", "getName", "shop"));

    @Test
    void anAdminsDeletionAnnouncedTwiceIsCleanedOnceAsItCommits() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);
        DeletingSession deleting = new DeletingSession();

        listener.onEvent(preRemoved(deleting.session, "u1")); // Keycloak's user storage, before it deletes
        listener.onEvent(removed(deleting.session, "u1")); // its UserManager, after
        assertThat(cleaned).as("nothing before the commit").isEmpty();
        deleting.commit();

        assertThat(cleaned).containsExactly("realm-1/u1");
        assertThat(deleting.lookups).as("the second announcement says it is done").isEmpty();
    }

    @Test
    void anOrganizationsManagedMemberIsAnnouncedBeforeOnlyAndCleaned() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);
        DeletingSession deleting = new DeletingSession();

        listener.onEvent(preRemoved(deleting.session, "member"));
        deleting.commit();

        assertThat(cleaned).containsExactly("realm-1/member");
    }

    @Test
    void aDeletionRefusedButCommittedAnywayCleansNothing() {
        ProviderEventListener every = UserDeletions.everyDeletion(this::record);
        ProviderEventListener onRequest = UserDeletions.requestedDeletion(this::record);
        DeletingSession deleting = new DeletingSession();
        deleting.stillThere.add("kept"); // a user storage said no; the caller did not look and commits

        every.onEvent(preRemoved(deleting.session, "kept"));
        onRequest.onEvent(preRemoved(deleting.session, "kept"));
        deleting.commit();

        assertThat(cleaned).isEmpty();
        assertThat(deleting.lookups).containsExactly("kept", "kept");
    }

    @Test
    void aRolledBackDeletionCleansNothing() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);
        DeletingSession deleting = new DeletingSession();

        listener.onEvent(preRemoved(deleting.session, "u1"));
        deleting.rollback();

        assertThat(cleaned).isEmpty();
    }

    @Test
    void aFederatedCopyKeycloakDroppedIsAnnouncedAfterOnlyAndCleanedByEveryDeletionNotByRequestedDeletion() {
        List<String> requested = new ArrayList<>();
        ProviderEventListener every = UserDeletions.everyDeletion(this::record);
        ProviderEventListener onRequest = UserDeletions.requestedDeletion(
                (session, realm, userId) -> requested.add(userId));
        DeletingSession deleting = new DeletingSession();

        every.onEvent(removed(deleting.session, "copy"));
        onRequest.onEvent(removed(deleting.session, "copy"));
        onRequest.onEvent(preRemoved(deleting.session, "asked")); // an admin's deletion, for contrast
        onRequest.onEvent(removed(deleting.session, "asked"));
        deleting.commit();

        assertThat(cleaned).containsExactly("realm-1/copy");
        assertThat(requested).containsExactly("asked");
        assertThat(deleting.lookups).as("a session dropping a copy may be committing: no lookup then").isEmpty();
    }

    @Test
    void eachUserOfASessionIsCleanedOnce() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);
        DeletingSession deleting = new DeletingSession();

        listener.onEvent(preRemoved(deleting.session, "a"));
        listener.onEvent(removed(deleting.session, "a"));
        listener.onEvent(removed(deleting.session, "b")); // another user, announced after only
        deleting.commit();

        assertThat(cleaned).containsExactly("realm-1/a", "realm-1/b");
    }

    @Test
    void aDeletionDuringTheCommitsPreparePhaseIsCleanedAsAnnounced() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);
        DeletingSession deleting = new DeletingSession();
        listener.onEvent(preRemoved(deleting.session, "first"));
        // another participant of the prepare phase, after this one, deleting a user as it commits
        deleting.transaction.enlistPrepare(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                listener.onEvent(preRemoved(deleting.session, "late"));
                listener.onEvent(removed(deleting.session, "late"));
            }

            @Override
            protected void rollbackImpl() {
            }
        });

        deleting.commit();

        assertThat(cleaned).containsExactly("realm-1/first", "realm-1/late");
    }

    @Test
    void aStoreThatSaysDeletedButKeepsItsUserIsLookedUpAndTheUserKeepsTheirData() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);
        DeletingSession deleting = new DeletingSession();
        deleting.stillThere.add("f:ldap:ann"); // a read-only LDAP store answers true and deletes nothing

        listener.onEvent(preRemoved(deleting.session, "f:ldap:ann"));
        listener.onEvent(removed(deleting.session, "f:ldap:ann"));
        listener.onEvent(preRemoved(deleting.session, "f:ldap:bob")); // one the store did delete
        listener.onEvent(removed(deleting.session, "f:ldap:bob"));
        deleting.commit();

        assertThat(cleaned).containsExactly("realm-1/f:ldap:bob");
        assertThat(deleting.lookups).containsExactly("f:ldap:ann", "f:ldap:bob");
    }

    @Test
    void aUserDroppedAgainByTheLookupAtTheCommitIsCleanedOnce() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);
        DeletingSession deleting = new DeletingSession();
        // the lookup finds a federated copy whose store lost the row, and Keycloak drops it then
        deleting.onLookup = userId -> listener.onEvent(removed(deleting.session, userId));

        listener.onEvent(preRemoved(deleting.session, "copy"));
        deleting.commit();

        assertThat(cleaned).containsExactly("realm-1/copy");
    }

    private void record(KeycloakSession session, RealmModel realm, String userId) {
        cleaned.add(realm.getId() + "/" + userId);
    }

    private UserModel.UserPreRemovedEvent preRemoved(KeycloakSession session, String userId) {
        return event(UserModel.UserPreRemovedEvent.class, session, userId);
    }

    private UserModel.UserRemovedEvent removed(KeycloakSession session, String userId) {
        return event(UserModel.UserRemovedEvent.class, session, userId);
    }

    /** Either announcement: both carry the realm, the user and the deleting session. */
    private <T> T event(Class<T> type, KeycloakSession session, String userId) {
        return fake(type, Map.of("getRealm", realm, "getUser", fake(UserModel.class, Map.of("getId", userId)),
                "getKeycloakSession", session));
    }

    /**
     * The deleting request's session: its attributes, its transaction (the prepare phase the clean-up waits for)
     * and its users, where a user whose deletion was refused is still found.
     */
    private final class DeletingSession {
        final Set<String> stillThere = new HashSet<>();
        final List<String> lookups = new ArrayList<>();
        private final Map<String, Object> attributes = new HashMap<>();
        private final List<KeycloakTransaction> prepare = new ArrayList<>();
        java.util.function.Consumer<String> onLookup = userId -> { };
        private boolean active = true;
        private boolean completed;
        /** As Keycloak's: completed as soon as the commit begins, active until it ends. */
        final KeycloakTransactionManager transaction = proxy(KeycloakTransactionManager.class,
                (method, args) -> switch (method.getName()) {
                    case "isActive" -> active;
                    case "enlistPrepare" -> {
                        if (completed) {
                            throw new IllegalStateException("Transaction already completed");
                        }
                        ((KeycloakTransaction) args[0]).begin();
                        prepare.add((KeycloakTransaction) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        private final UserProvider users = proxy(UserProvider.class, (method, args) -> switch (method.getName()) {
            case "getUserById" -> {
                lookups.add((String) args[1]);
                onLookup.accept((String) args[1]);
                yield stillThere.contains((String) args[1]) ? fake(UserModel.class, Map.of("getId", args[1])) : null;
            }
            default -> throw new UnsupportedOperationException(method.getName());
        });
        final KeycloakSession session = proxy(KeycloakSession.class, (method, args) -> switch (method.getName()) {
            case "setAttribute" -> {
                attributes.put((String) args[0], args[1]);
                yield null;
            }
            case "getAttribute" -> attributes.get((String) args[0]);
            case "getTransactionManager" -> transaction;
            case "users" -> users;
            default -> throw new UnsupportedOperationException(method.getName());
        });

        void commit() {
            completed = true;
            prepare.forEach(KeycloakTransaction::commit);
            active = false;
        }

        void rollback() {
            completed = true;
            prepare.forEach(KeycloakTransaction::rollback);
            active = false;
        }
    }

    private interface Answer {
        Object answer(Method method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(UserDeletionsTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method, args)));
    }

    private static <T> T fake(Class<T> type, Map<String, Object> answers) {
        return proxy(type, (method, args) -> {
            if (!answers.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return answers.get(method.getName());
        });
    }
}
