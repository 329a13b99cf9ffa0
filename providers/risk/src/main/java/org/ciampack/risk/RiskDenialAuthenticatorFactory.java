package org.ciampack.risk;

import org.ciampack.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.PasswordCredentialModel;

/** "CIAM deny as a wrong password": the step of a deny sub-flow that gives a refused login nothing to learn from. */
public final class RiskDenialAuthenticatorFactory extends StepFactory {

    public static final String ID = "ciam-risk-deny";

    @Override
    public Authenticator create(KeycloakSession session) {
        return RiskDenialAuthenticator.SINGLETON;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "CIAM deny as a wrong password";
    }

    @Override
    public String getHelpText() {
        return "Refuses the login with exactly the answer a wrong password gets (the login form with 'Invalid username "
                + "or password', or invalid_grant for password grants) and counts it for brute-force detection, so a "
                + "refusal never tells a credential stuffer that the password was right. The event says why.";
    }

    /** "password": the refusal counts for brute-force detection exactly as the wrong password it imitates. */
    @Override
    public String getReferenceCategory() {
        return PasswordCredentialModel.TYPE;
    }
}
