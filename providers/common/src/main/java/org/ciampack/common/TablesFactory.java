package org.ciampack.common;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Base of a module's {@link JpaEntityProviderFactory}: registers the module's own entities and its Liquibase changelog
 * ({@code META-INF/<id>-changelog.xml}) with Keycloak's database, which creates the tables on start. A subclass only
 * names its id and entities.
 */
public abstract class TablesFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    private final String id;
    private final List<Class<?>> entities;

    protected TablesFactory(String id, List<Class<?>> entities) {
        this.id = id;
        this.entities = List.copyOf(entities);
    }

    @Override
    public final JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public final List<Class<?>> getEntities() {
        return entities;
    }

    @Override
    public final String getChangelogLocation() {
        return "META-INF/" + id + "-changelog.xml";
    }

    @Override
    public final String getFactoryId() {
        return id;
    }

    @Override
    public final String getId() {
        return id;
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
