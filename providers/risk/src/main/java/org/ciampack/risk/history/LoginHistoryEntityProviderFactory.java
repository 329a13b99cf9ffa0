package org.ciampack.risk.history;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Registers the login history table with Keycloak's database: the entity, and the changelog that creates it. */
public final class LoginHistoryEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String ID = "ciam-risk";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(LoginHistoryEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/ciam-risk-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return ID;
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
