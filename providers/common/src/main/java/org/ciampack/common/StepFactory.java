package org.ciampack.common;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Base of the pack's flow steps ({@link AuthenticatorFactory}): what every step answers the same way. A step that
 * checks a secret must return Keycloak's category of that credential from {@link #getReferenceCategory()} (e.g.
 * {@code otp}), so brute-force detection and the admin console treat it as that credential; the others have none.
 */
public abstract class StepFactory implements AuthenticatorFactory {

    private static final Requirement[] CHOICES = {Requirement.REQUIRED, Requirement.DISABLED};

    @Override
    public String getReferenceCategory() {
        return null;
    }

    /** Our steps gate or decide: required or off, unless a step says it can stand beside others. */
    @Override
    public Requirement[] getRequirementChoices() {
        return CHOICES.clone();
    }

    /** No settings unless a step declares them. */
    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    /** Our steps set nothing up for the user during a login. */
    @Override
    public boolean isUserSetupAllowed() {
        return false;
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
