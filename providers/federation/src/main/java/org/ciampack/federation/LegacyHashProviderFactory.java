package org.ciampack.federation;

import org.keycloak.Config;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.credential.hash.PasswordHashProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** The {@value LegacyHashProvider#ID} password hash: legacy hashes imported as Keycloak credentials. */
public final class LegacyHashProviderFactory implements PasswordHashProviderFactory {

    private static final LegacyHashProvider PROVIDER = new LegacyHashProvider();

    @Override
    public PasswordHashProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return LegacyHashProvider.ID;
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
