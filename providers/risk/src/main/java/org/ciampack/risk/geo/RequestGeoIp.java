package org.ciampack.risk.geo;

import java.net.InetAddress;

/**
 * The GeoIP provider as one request sees it: the risk step and the history recorder both locate the login's
 * address, and the second asks the databases nothing.
 */
final class RequestGeoIp implements GeoIp {

    private final GeoIp databases;
    private InetAddress lastAddress;
    private GeoFacts lastFacts;

    RequestGeoIp(GeoIp databases) {
        this.databases = databases;
    }

    @Override
    public GeoFacts locate(InetAddress address) {
        if (address == null || !address.equals(lastAddress)) {
            lastFacts = databases.locate(address);
            lastAddress = address;
        }
        return lastFacts;
    }
}
