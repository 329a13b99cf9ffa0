package org.ciampack.events.outbox;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Registers the export tables with Keycloak's database: outbox, deliveries, route state, and their changelog. */
public final class ExportEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String ID = "ciam-events";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(OutboxEntity.class, DeliveryEntity.class, RouteStateEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/ciam-events-changelog.xml";
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
