package org.ciampack.consent.rest;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The consent REST API at {@code /realms/<realm>/ciam-consent}. */
public final class ConsentResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "ciam-consent";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new ConsentResource(session);
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
