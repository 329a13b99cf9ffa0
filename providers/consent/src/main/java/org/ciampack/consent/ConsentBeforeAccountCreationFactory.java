package org.ciampack.consent;

import org.ciampack.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

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
    public Authenticator create(KeycloakSession session) {
        return AUTHENTICATOR;
    }

    @Override
    public String getId() {
        return ID;
    }
}
