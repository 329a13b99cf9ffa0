package org.ciampack.risk.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.ciampack.risk.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaxMindGeoIpTest {

    @TempDir
    Path folder;

    @Test
    void placesTheDemoNetworks() throws IOException {
        DemoGeoIpDatabases.write(folder);
        GeoIp geoIp = demo(Clock.systemUTC());

        GeoFacts berlin = geoIp.locate(ip("198.51.100.7"));
        assertThat(berlin.countryCode()).isEqualTo("DE");
        assertThat(berlin.city()).isEqualTo("Berlin");
        assertThat(berlin.latitude()).isEqualTo(52.52);
        assertThat(berlin.accuracyRadiusKm()).isEqualTo(20);
        assertThat(berlin.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(berlin.asn()).isEqualTo(64500L);
        assertThat(berlin.anonymizer()).isFalse();

        assertThat(geoIp.locate(ip("2001:db8::1")).city()).isEqualTo("Paris");
        assertThat(geoIp.locate(ip("203.0.113.245")).anonymizer()).isTrue();
    }

    @Test
    void privateLoopbackAndUnknownAddressesAreUnknown() throws IOException {
        DemoGeoIpDatabases.write(folder);
        GeoIp geoIp = demo(Clock.systemUTC());

        for (String address : new String[] {"127.0.0.1", "10.1.2.3", "192.168.0.1", "::1", "fd00::1", "8.8.8.8"}) {
            assertThat(geoIp.locate(ip(address))).as(address).isEqualTo(GeoFacts.UNKNOWN);
        }
        assertThat(geoIp.locate(null)).isEqualTo(GeoFacts.UNKNOWN);
    }

    @Test
    void aMissingDatabaseMeansUnknownNotAFailure() {
        GeoIp geoIp = new MaxMindGeoIp(new MaxMindDatabase("City", folder.resolve("absent.mmdb"), Clock.systemUTC()), null, null);

        assertThat(geoIp.locate(ip("198.51.100.7"))).isEqualTo(GeoFacts.UNKNOWN);
    }

    @Test
    void aBrokenFileMeansUnknownNotAFailure() throws IOException {
        Path broken = Files.writeString(folder.resolve("broken.mmdb"), "not a database");
        GeoIp geoIp = new MaxMindGeoIp(new MaxMindDatabase("City", broken, Clock.systemUTC()), null, null);

        assertThat(geoIp.locate(ip("198.51.100.7"))).isEqualTo(GeoFacts.UNKNOWN);
    }

    @Test
    void aReplacedFileIsPickedUp() throws IOException {
        Path city = folder.resolve("city.mmdb");
        new MaxMindDbWriter("GeoIP2-City", "v1").insert("198.51.100.0/24", Map.of("country", Map.of("iso_code", "DE"))).write(city);
        TestClock clock = new TestClock();
        MaxMindDatabase database = new MaxMindDatabase("City", city, clock);
        GeoIp geoIp = new MaxMindGeoIp(database, null, null);
        assertThat(geoIp.locate(ip("198.51.100.7")).countryCode()).isEqualTo("DE");

        // As geoipupdate does: write a new file, then rename it over the old one.
        Path next = folder.resolve("city.mmdb.new");
        new MaxMindDbWriter("GeoIP2-City", "v2").insert("198.51.100.0/24", Map.of("country", Map.of("iso_code", "AT"))).write(next);
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().plusSeconds(60)));
        Files.move(next, city, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(geoIp.locate(ip("198.51.100.7")).countryCode()).as("not rechecked yet").isEqualTo("DE");
        clock.advance(11_000);
        assertThat(geoIp.locate(ip("198.51.100.7")).countryCode()).isEqualTo("AT");

        Files.delete(city);
        clock.advance(11_000);
        assertThat(geoIp.locate(ip("198.51.100.7")).countryCode()).as("last good copy kept").isEqualTo("AT");
    }

    private GeoIp demo(Clock clock) {
        return new MaxMindGeoIp(new MaxMindDatabase("City", folder.resolve(DemoGeoIpDatabases.CITY), clock),
                new MaxMindDatabase("ASN", folder.resolve(DemoGeoIpDatabases.ASN), clock),
                new MaxMindDatabase("Anonymous-IP", folder.resolve(DemoGeoIpDatabases.ANONYMOUS_IP), clock));
    }

    private static InetAddress ip(String literal) {
        return org.ciampack.risk.net.IpAddress.parse(literal).orElseThrow();
    }
}
