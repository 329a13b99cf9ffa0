package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/** What a later request of a login puts back on its event: the assessment of that login's user, and only that. */
class RiskEventDetailsTest {

    private static final Map<String, String> ASSESSED = Map.of(RiskNotes.SCORE, "55", RiskNotes.LEVEL, "medium",
            RiskNotes.REASONS, "new_country,new_device", RiskNotes.SCORED_USER, "alice");
    private static final Map<String, String> FOR_SESSION = Map.of(RiskNotes.EVENT_DEVICE, "d-1",
            RiskNotes.EVENT_USER_AGENT, "Chrome");

    @Test
    void theAssessedUsersLoginGetsTheAssessmentWithItsDeviceAndBrowser() {
        assertThat(RiskEventDetails.of(session(ASSESSED, FOR_SESSION), user("alice"))).containsExactly(
                Map.entry("risk_score", "55"), Map.entry("risk_level", "medium"),
                Map.entry("risk_reasons", "new_country,new_device"), Map.entry("risk_device", "d-1"),
                Map.entry("risk_user_agent", "Chrome"));
    }

    @Test
    void anotherUsersLoginOrOneWithoutAnAssessmentGetsNothing() {
        assertThat(RiskEventDetails.of(session(ASSESSED, FOR_SESSION), user("mallory"))).isEmpty();
        assertThat(RiskEventDetails.of(session(Map.of(), FOR_SESSION), user("alice"))).isEmpty();
    }

    @Test
    void shadowModeIsSaidAndAbsentNotesAreLeftOut() {
        Map<String, String> shadow = Map.of(RiskNotes.SCORE, "80", RiskNotes.LEVEL, "high", RiskNotes.SHADOW, "true");
        assertThat(RiskEventDetails.of(session(shadow, Map.of()), null)).containsExactly(
                Map.entry("risk_score", "80"), Map.entry("risk_level", "high"), Map.entry("risk_shadow", "true"));
    }

    private static AuthenticationSessionModel session(Map<String, String> authNotes, Map<String, String> sessionNotes) {
        return (AuthenticationSessionModel) Proxy.newProxyInstance(AuthenticationSessionModel.class.getClassLoader(),
                new Class<?>[] {AuthenticationSessionModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAuthNote" -> authNotes.get((String) args[0]);
                    case "getUserSessionNotes" -> sessionNotes;
                    default -> throw new UnsupportedOperationException(method.getName());
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
