package org.ciampack.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;

/** The user events the outbox keeps for a replay when no route wants them: errors, and what the event store saves. */
class KeptForReplayTest {

    @Test
    void aRealmThatNamesNoSavedTypesKeepsKeycloaksDefaults() {
        RealmModel realm = realmSaving(List.of());
        assertThat(KeptForReplay.isKept(realm, EventType.LOGIN)).isTrue();
        assertThat(KeptForReplay.isKept(realm, EventType.CODE_TO_TOKEN)).isTrue();
        assertThat(KeptForReplay.isKept(realm, EventType.UPDATE_PASSWORD)).isTrue();
        assertThat(KeptForReplay.isKept(realm, EventType.REFRESH_TOKEN)).as("token refresh").isFalse();
        assertThat(KeptForReplay.isKept(realm, EventType.USER_INFO_REQUEST)).as("userinfo call").isFalse();
        assertThat(KeptForReplay.isKept(realm, EventType.USER_SESSION_DELETED)).as("expired session").isFalse();
    }

    @Test
    void everyErrorIsKeptEvenOfTypesKeycloakDoesNotSave() {
        RealmModel realm = realmSaving(List.of());
        assertThat(EventType.REFRESH_TOKEN_ERROR.isSaveByDefault()).isFalse();
        assertThat(KeptForReplay.isKept(realm, EventType.REFRESH_TOKEN_ERROR)).isTrue();
        assertThat(KeptForReplay.isKept(realm, EventType.USER_DISABLED_BY_TEMPORARY_LOCKOUT_ERROR)).isTrue();
        assertThat(KeptForReplay.isKept(realmSaving(List.of("LOGIN")), EventType.INVALID_SIGNATURE_ERROR)).isTrue();
    }

    @Test
    void aRealmThatNamesSavedTypesKeepsExactlyThose() {
        RealmModel realm = realmSaving(List.of("LOGIN", "REFRESH_TOKEN"));
        assertThat(KeptForReplay.isKept(realm, EventType.REFRESH_TOKEN)).isTrue();
        assertThat(KeptForReplay.isKept(realm, EventType.LOGIN)).isTrue();
        assertThat(KeptForReplay.isKept(realm, EventType.CODE_TO_TOKEN)).as("not named").isFalse();
    }

    @Test
    void aStoredTypeKeycloakDoesNotKnowIsKept() {
        assertThat(KeptForReplay.isKept(realmSaving(List.of()), "SOMETHING_NEWER")).isTrue();
        assertThat(KeptForReplay.isKept(realmSaving(List.of()), "REFRESH_TOKEN")).isFalse();
    }

    private static RealmModel realmSaving(List<String> types) {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[] {RealmModel.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getEnabledEventTypesStream")) {
                        return types.stream();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
