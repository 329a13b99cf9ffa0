package org.ciampack.risk;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordForm;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * Keycloak's username and password form, scoring the login's risk before it checks the password: a right and a
 * wrong password then cost the server the same work, so the time of a risk refusal tells nothing either.
 */
final class RiskScoredPasswordForm extends UsernamePasswordForm {

    private final List<RiskSignalFactory> signals;

    RiskScoredPasswordForm(KeycloakSession session, List<RiskSignalFactory> signals) {
        super(session);
        this.signals = signals;
    }

    @Override
    public boolean validatePassword(AuthenticationFlowContext context, UserModel user, MultivaluedMap<String, String> inputData,
                                    boolean clearUser) {
        RiskAssessmentAuthenticator.scoreBeforePassword(context, user, signals);
        return super.validatePassword(context, user, inputData, clearUser);
    }
}
