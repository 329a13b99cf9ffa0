package org.ciampack.risk;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Mounts the risk module's self-service REST (known devices) at {@code /realms/{realm}/ciam-risk}. */
public final class RiskResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "ciam-risk";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RiskResource(session);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void close() {
    }
}
