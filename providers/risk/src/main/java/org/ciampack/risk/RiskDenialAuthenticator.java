package org.ciampack.risk;

import org.ciampack.common.FlowStep;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.UserModel;

/**
 * Refuses a risky login with the answer a wrong password gets (see {@link WrongPasswordAnswer}), counted for
 * brute-force detection like one; only the event (error access_denied, with the risk details) says why.
 */
final class RiskDenialAuthenticator extends FlowStep {

    static final RiskDenialAuthenticator SINGLETON = new RiskDenialAuthenticator();

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        RiskAssessmentAuthenticator.restoreEventDetails(context);
        if (user != null) {
            context.getEvent().user(user).detail(Details.USERNAME, user.getUsername());
        }
        context.getEvent().error(Errors.ACCESS_DENIED);
        if (WrongPasswordAnswer.isPasswordGrant(context)) {
            // Keycloak counts this failure itself (the step's category is "password").
            context.failure(AuthenticationFlowError.INVALID_USER, WrongPasswordAnswer.passwordGrant());
            return;
        }
        WrongPasswordAnswer.countFailure(context, user);
        WrongPasswordAnswer.restartAtLoginForm(context);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }
}
