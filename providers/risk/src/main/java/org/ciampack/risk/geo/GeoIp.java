package org.ciampack.risk.geo;

import java.net.InetAddress;
import org.keycloak.provider.Provider;

/** Where an address is, as far as the configured GeoIP databases know. */
public interface GeoIp extends Provider {

    /** Never fails: private, loopback and unknown addresses, or no database, give {@link GeoFacts#UNKNOWN}. */
    GeoFacts locate(InetAddress address);

    @Override
    default void close() {
    }
}
