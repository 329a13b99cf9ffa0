package org.ciampack.federation;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * {@value #ID}: a global listener (every realm, nothing to switch on) that makes a wrong password take as long for an
 * unknown address as for a legacy customer, so that sign-in times do not tell who the legacy customers are. It only
 * acts in realms where legacy passwords have been checked.
 */
public final class EqualFailureTimeListenerFactory implements EventListenerProviderFactory {

    static final String ID = "ciam-legacy-failure-time";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return EqualFailureTimeListener.INSTANCE;
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return ID;
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
