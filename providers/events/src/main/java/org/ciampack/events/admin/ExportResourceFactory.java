package org.ciampack.events.admin;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The export's admin REST API at {@code /realms/<realm>/ciam-export}. */
public final class ExportResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "ciam-export";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new ExportResource(session);
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
