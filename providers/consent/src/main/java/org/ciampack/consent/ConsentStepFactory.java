package org.ciampack.consent;

import org.ciampack.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** "CIAM consent": the consents due, asked inside the login flow, before progressive profiling. */
public final class ConsentStepFactory extends StepFactory {

    public static final String ID = "ciam-consent-step";
    private static final ConsentStep AUTHENTICATOR = new ConsentStep();

    @Override
    public String getDisplayType() {
        return "CIAM consent";
    }

    @Override
    public String getHelpText() {
        return "Asks for the consents due (a new version of a notice, a re-consent request) as a step of the login, "
                + "after the user is proven and before any step that collects personal data such as 'CIAM progressive "
                + "profiling'. Declining a required purpose ends the login. Keep the 'CIAM consent' required action "
                + "enabled for flows without this step.";
    }

    /**
     * A category of its own: a declined consent ends the login as a failure, and Keycloak's brute-force detection
     * counts a failure of any step without one (five declines would lock the customer out).
     */
    @Override
    public String getReferenceCategory() {
        return "consent";
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return AUTHENTICATOR;
    }

    @Override
    public String getId() {
        return ID;
    }
}
