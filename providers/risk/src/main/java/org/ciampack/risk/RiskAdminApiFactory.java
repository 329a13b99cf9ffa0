package org.ciampack.risk;

import java.util.List;
import org.ciampack.common.AdminApiFactory;
import org.ciampack.common.AdminCaller;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Mounts {@link RiskAdminResource} in Keycloak's admin API, at {@code /admin/realms/{realm}/ciam-risk}. */
public final class RiskAdminApiFactory extends AdminApiFactory {

    private volatile List<RiskSignalFactory> signals = List.of();

    public RiskAdminApiFactory() {
        super(RiskResourceFactory.ID);
    }

    @Override
    protected Object resource(KeycloakSession session, AdminCaller caller) {
        return new RiskAdminResource(session, caller, signals);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        signals = RiskEvaluator.signals(factory);
    }
}
