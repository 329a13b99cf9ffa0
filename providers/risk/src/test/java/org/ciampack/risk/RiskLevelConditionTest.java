package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/** The level a risk condition acts on is the assessment's only for the user it assessed. */
class RiskLevelConditionTest {

    @Test
    void theAssessedUserGetsTheAssessedLevel() {
        assertThat(RiskLevelCondition.levelFor(session(Map.of(RiskNotes.SCORED_USER, "alice")), user("alice"), "low"))
                .isEqualTo(RiskLevel.LOW);
        assertThat(RiskLevelCondition.levelFor(session(Map.of(RiskNotes.SCORED_USER, "alice")), user("alice"), "medium"))
                .isEqualTo(RiskLevel.MEDIUM);
    }

    @Test
    void anotherUserThanTheOneAssessedCountsAsHighRisk() {
        assertThat(RiskLevelCondition.levelFor(session(Map.of(RiskNotes.SCORED_USER, "alice")), user("mallory"), "low"))
                .isEqualTo(RiskLevel.HIGH);
    }

    @Test
    void anAssessmentFromBeforeTheUserWasNotedKeepsItsLevel() {
        assertThat(RiskLevelCondition.levelFor(session(Map.of()), user("alice"), "medium")).isEqualTo(RiskLevel.MEDIUM);
        assertThat(RiskLevelCondition.levelFor(session(Map.of(RiskNotes.SCORED_USER, "alice")), null, "low"))
                .isEqualTo(RiskLevel.LOW);
    }

    private static AuthenticationSessionModel session(Map<String, String> notes) {
        return (AuthenticationSessionModel) Proxy.newProxyInstance(AuthenticationSessionModel.class.getClassLoader(),
                new Class<?>[] {AuthenticationSessionModel.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getAuthNote")) {
                        return notes.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static UserModel user(String id) {
        return (UserModel) Proxy.newProxyInstance(UserModel.class.getClassLoader(), new Class<?>[] {UserModel.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getId")) {
                        return id;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
