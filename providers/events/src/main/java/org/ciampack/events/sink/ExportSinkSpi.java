package org.ciampack.events.sink;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The SPI of export destinations: {@code ciam-export-sink}. */
public final class ExportSinkSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "ciam-export-sink";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return ExportSinkFactory.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return ExportSinkFactory.class;
    }
}
