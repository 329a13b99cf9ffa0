package org.ciampack.risk.geo;

import org.keycloak.provider.ProviderFactory;

public interface GeoIpFactory extends ProviderFactory<GeoIp> {
}
