package org.ciampack.risk;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * "Condition - CIAM risk level": runs a conditional sub-flow (step-up, deny) from a given risk level up. The name
 * starts with "Condition - " because Keycloak's admin console offers conditions (and badges them) by that prefix.
 */
public final class RiskLevelConditionFactory implements ConditionalAuthenticatorFactory {

    public static final String ID = "ciam-condition-risk-level";

    @Override
    public ConditionalAuthenticator getSingleton() {
        return RiskLevelCondition.SINGLETON;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Condition - CIAM risk level";
    }

    @Override
    public String getHelpText() {
        return "Met when the risk assessment earlier in the flow rated the login at least at the chosen level "
                + "(in shadow mode every login counts as low).";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return new Requirement[] {Requirement.REQUIRED, Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(RiskLevelCondition.LEVEL).label("Risk level at least")
                .helpText("The sub-flow runs for logins rated at this level or above.")
                .type(ProviderConfigProperty.LIST_TYPE).options("low", "medium", "high").defaultValue("high").add()
                .build();
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
}
