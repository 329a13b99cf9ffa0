package org.ciampack.risk;

import java.util.List;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.directgrant.ValidatePassword;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * "CIAM password (direct grant)": Keycloak's password check of password grants, risk scored before the password is
 * checked, so a right and a wrong password cost the same work (Keycloak's ValidatePassword is its own factory).
 */
public final class RiskScoredPasswordGrant extends ValidatePassword {

    public static final String ID = "ciam-direct-grant-validate-password";

    private volatile List<RiskSignalFactory> signals = List.of();

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        super.postInit(factory);
        signals = RiskEvaluator.signals(factory);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        RiskAssessmentAuthenticator.scoreBeforePassword(context, context.getUser(), signals);
        super.authenticate(context);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "CIAM password (direct grant)";
    }

    @Override
    public String getHelpText() {
        return "Keycloak's password check for password grants that runs the flow's 'CIAM risk assessment' first, so a "
                + "right and a wrong password cost the same work. Use it instead of 'Password' in a risk-scored "
                + "direct grant flow, after 'Username Validation'.";
    }
}
