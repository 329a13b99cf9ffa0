package org.ciampack.risk.geo;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** {@code ciam-geoip}: server-wide GeoIP lookups; configured with --spi-ciam-geoip--maxmind--... options. */
public final class GeoIpSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "ciam-geoip";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return GeoIp.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return GeoIpFactory.class;
    }
}
