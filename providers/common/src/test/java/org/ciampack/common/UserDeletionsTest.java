package org.ciampack.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEventListener;

class UserDeletionsTest {

    private final List<String> cleaned = new ArrayList<>();
    private final RealmModel realm = fake(RealmModel.class, Map.of("getId", "realm-1"));

    @Test
    void anAdminsDeletionAnnouncedTwiceIsCleanedOnce() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);
        KeycloakSession session = session();

        listener.onEvent(preRemoved(session, "u1")); // Keycloak's user storage, before it deletes
        listener.onEvent(removed(session, "u1")); // its UserManager, after

        assertThat(cleaned).containsExactly("realm-1/u1");
    }

    @Test
    void anOrganizationsManagedMemberIsAnnouncedBeforeOnlyAndCleaned() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);

        listener.onEvent(preRemoved(session(), "member"));

        assertThat(cleaned).containsExactly("realm-1/member");
    }

    @Test
    void aFederatedCopyKeycloakDroppedIsAnnouncedAfterOnlyAndCleanedByEveryDeletionNotByRequestedDeletion() {
        List<String> requested = new ArrayList<>();
        ProviderEventListener every = UserDeletions.everyDeletion(this::record);
        ProviderEventListener onRequest = UserDeletions.requestedDeletion(
                (session, realm, userId) -> requested.add(userId));
        KeycloakSession session = session();

        every.onEvent(removed(session, "copy"));
        onRequest.onEvent(removed(session, "copy"));
        onRequest.onEvent(preRemoved(session, "asked")); // an admin's deletion, for contrast

        assertThat(cleaned).containsExactly("realm-1/copy");
        assertThat(requested).containsExactly("asked");
    }

    @Test
    void eachUserOfASessionIsCleanedOnceAndTheMarkDoesNotHideAnother() {
        ProviderEventListener listener = UserDeletions.everyDeletion(this::record);
        KeycloakSession session = session();

        listener.onEvent(preRemoved(session, "a"));
        listener.onEvent(removed(session, "a"));
        listener.onEvent(removed(session, "b")); // another user, announced after only

        assertThat(cleaned).containsExactly("realm-1/a", "realm-1/b");
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

    /** A session with its attributes only, as the deleting request's session keeps them. */
    private static KeycloakSession session() {
        Map<String, Object> attributes = new HashMap<>();
        return (KeycloakSession) Proxy.newProxyInstance(UserDeletionsTest.class.getClassLoader(),
                new Class<?>[] {KeycloakSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setAttribute" -> {
                        attributes.put((String) args[0], args[1]);
                        yield null;
                    }
                    case "getAttribute" -> attributes.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static <T> T fake(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(UserDeletionsTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (!answers.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return answers.get(method.getName());
                }));
    }
}
