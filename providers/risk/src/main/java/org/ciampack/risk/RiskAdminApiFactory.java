package org.ciampack.risk;

import java.util.List;
import org.ciampack.common.AdminCaller;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Mounts {@link RiskAdminResource} in Keycloak's admin API, at {@code /admin/realms/{realm}/ciam-risk}. */
public final class RiskAdminApiFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider {

    private volatile List<RiskSignalFactory> signals = List.of();

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new RiskAdminResource(session, AdminCaller.of(session, realm, auth), signals);
    }

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        signals = RiskEvaluator.signals(factory);
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return RiskResourceFactory.ID;
    }
}
