package org.ciampack.risk.signal;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderFactory;

/** Creates a {@link RiskSignal}; its id is the signal's id in weights, reasons and the admin console. */
public interface RiskSignalFactory extends ProviderFactory<RiskSignal> {

    /** Weight 0-100 used until an admin sets one on the step. */
    int defaultWeight();

    /** A line for the admin console: what the signal looks at. */
    String helpText();

    /** Settings of this signal shown on the risk assessment step (besides its weight). */
    default List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}
