package org.ciampack.risk;

import java.util.List;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Mounts the risk module's REST (what-if for admins, known devices for users) at {@code /realms/{realm}/ciam-risk}. */
public final class RiskResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "ciam-risk";

    private volatile List<RiskSignalFactory> signals = List.of();

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RiskResource(session, signals);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        signals = RiskEvaluator.signals(factory);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void close() {
    }
}
