package org.ciampack.risk.signal;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The SPI through which the risk assessment step finds its signals: {@code ciam-risk-signal}. */
public final class RiskSignalSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "ciam-risk-signal";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return RiskSignal.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return RiskSignalFactory.class;
    }
}
