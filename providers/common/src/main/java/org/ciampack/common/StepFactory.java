package org.ciampack.common;

import org.keycloak.Config;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Base of the pack's flow steps ({@link AuthenticatorFactory}): what every step answers the same way. A step that
 * checks a secret must return Keycloak's category of that credential from {@link #getReferenceCategory()} (e.g.
 * {@code otp}), so brute-force detection and the admin console treat it as that credential; the others have none.
 */
public abstract class StepFactory implements AuthenticatorFactory {

    private static final Requirement[] CHOICES = {Requirement.REQUIRED, Requirement.ALTERNATIVE, Requirement.DISABLED};

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return CHOICES.clone();
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
