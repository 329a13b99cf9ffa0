package org.ciampack.consent.ledger;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Registers the consent ledger's tables with Keycloak's database. */
public final class ConsentEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String ID = "ciam-consent";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(ReceiptEntity.class, SubjectEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/ciam-consent-changelog.xml";
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
