package org.ciampack.risk.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestGeoIpTest {

    private final List<InetAddress> asked = new ArrayList<>();
    private final GeoIp databases = address -> {
        asked.add(address);
        return new GeoFacts("ZZ", "city of " + address.getHostAddress(), 0.0, 0.0, 20, "UTC", 64496L, "Example", false);
    };

    @Test
    void theSameAddressTwiceInOneRequestIsLookedUpOnce() throws Exception {
        GeoIp request = new RequestGeoIp(databases);
        InetAddress berlin = InetAddress.getByName("198.51.100.7");

        GeoFacts first = request.locate(berlin);
        GeoFacts second = request.locate(InetAddress.getByName("198.51.100.7"));

        assertThat(second).isSameAs(first);
        assertThat(asked).containsExactly(berlin);
    }

    @Test
    void anotherAddressIsLookedUpAgain() throws Exception {
        GeoIp request = new RequestGeoIp(databases);

        GeoFacts berlin = request.locate(InetAddress.getByName("198.51.100.7"));
        GeoFacts sydney = request.locate(InetAddress.getByName("203.0.113.9"));

        assertThat(berlin.city()).isEqualTo("city of 198.51.100.7");
        assertThat(sydney.city()).isEqualTo("city of 203.0.113.9");
        assertThat(asked).hasSize(2);
    }
}
