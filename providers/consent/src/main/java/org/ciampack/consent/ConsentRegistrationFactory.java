package org.ciampack.consent;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.FormActionFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** "CIAM consent (registration)": the realm's consent purposes on the registration form. */
public final class ConsentRegistrationFactory implements FormActionFactory {

    public static final String ID = "ciam-consent-registration";
    private static final ConsentRegistration ACTION = new ConsentRegistration();

    @Override
    public String getDisplayType() {
        return "CIAM consent (registration)";
    }

    @Override
    public String getHelpText() {
        return "Shows the realm's consent purposes (terms, privacy, marketing...) on the registration form; required "
                + "ones must be ticked. Every decision is written to the consent ledger with the new account. A login "
                + "theme whose form cannot show them (one without the ciam theme's fields) leaves them to the "
                + "ciam-consent required action, right after the account is created, when that action is on.";
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
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return new AuthenticationExecutionModel.Requirement[] {AuthenticationExecutionModel.Requirement.REQUIRED,
                AuthenticationExecutionModel.Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public FormAction create(KeycloakSession session) {
        return ACTION;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
