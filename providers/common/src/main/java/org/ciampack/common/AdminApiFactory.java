package org.ciampack.common;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * A module's admin REST API, mounted in Keycloak's admin API at {@code /admin/realms/{realm}/<id>}: Keycloak
 * authenticates the caller, and the module's resource gets them as an {@link AdminCaller}. Stateless, so the
 * factory is its own provider.
 */
public abstract class AdminApiFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider {

    private final String id;

    protected AdminApiFactory(String id) {
        this.id = id;
    }

    /** The JAX-RS resource that answers this request of {@code caller}. */
    protected abstract Object resource(KeycloakSession session, AdminCaller caller);

    @Override
    public final Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                                    AdminEventBuilder adminEvent) {
        return resource(session, AdminCaller.of(session, realm, auth));
    }

    @Override
    public final AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
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
    public final String getId() {
        return id;
    }
}
