package org.ciampack.consent;

import java.util.List;
import org.ciampack.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

/** "CIAM consent before account creation", for first-broker-login flows. */
public final class ConsentBeforeAccountCreationFactory extends StepFactory {

    public static final String ID = "ciam-consent-broker";
    private static final ConsentBeforeAccountCreation AUTHENTICATOR = new ConsentBeforeAccountCreation();

    @Override
    public String getDisplayType() {
        return "CIAM consent before account creation";
    }

    @Override
    public String getHelpText() {
        return "First-broker-login: asks a new user arriving from an identity provider for the realm's consents before "
                + "the account is created (place it before 'Create User If Unique'). Declining creates no account. The "
                + "'CIAM consent' required action must be enabled: it records the decisions once the user exists.";
    }

    @Override
    public String getReferenceCategory() {
        return "consent";
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
