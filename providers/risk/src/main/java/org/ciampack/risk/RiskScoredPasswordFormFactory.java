package org.ciampack.risk;

import java.util.List;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordFormFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** "CIAM username password form": Keycloak's form (same page, same rules), risk scored before the password check. */
public final class RiskScoredPasswordFormFactory extends UsernamePasswordFormFactory {

    public static final String ID = "ciam-username-password-form";

    private volatile List<RiskSignalFactory> signals = List.of();

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        super.postInit(factory);
        signals = RiskEvaluator.signals(factory);
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new RiskScoredPasswordForm(session, signals);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "CIAM username password form";
    }

    @Override
    public String getHelpText() {
        return "Keycloak's username and password form that runs the flow's 'CIAM risk assessment' before checking the "
                + "password, so a right and a wrong password cost the same and a risk refusal cannot be told apart "
                + "from a wrong password by its timing. Use it instead of 'Username Password Form' in a risk-scored flow.";
    }
}
