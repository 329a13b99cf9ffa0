package org.ciampack.risk;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * "CIAM risk on the login event" ({@link RiskEventDetailsAction}): enabled in a realm's required actions, it asks
 * nobody anything; Keycloak's LOGIN events then carry the risk details however the login ended.
 */
public final class RiskEventDetailsActionFactory implements RequiredActionFactory {

    public static final String ID = "ciam-risk-event-details";

    @Override
    public String getDisplayText() {
        return "CIAM risk on the login event";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return RiskEventDetailsAction.SINGLETON;
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
