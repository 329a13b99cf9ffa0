package org.ciampack.consent;

import java.util.List;
import org.ciampack.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

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

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return new Requirement[] {Requirement.REQUIRED, Requirement.DISABLED};
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
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
