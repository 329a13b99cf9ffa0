package org.ciampack.risk.geo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo's GeoIP: the documentation networks placed in four cities, each with its own (private-use) ASN, so
 * anyone can try the risk-based login locally with X-Forwarded-For. Real deployments use GeoLite2/GeoIP2 files.
 * <pre>java -cp ciam-risk.jar org.ciampack.risk.geo.DemoGeoIpDatabases &lt;folder&gt;</pre>
 */
public final class DemoGeoIpDatabases {

    public static final String CITY = "ciam-demo-city.mmdb";
    public static final String ASN = "ciam-demo-asn.mmdb";
    public static final String ANONYMOUS_IP = "ciam-demo-anonymous-ip.mmdb";

    private DemoGeoIpDatabases() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: DemoGeoIpDatabases <folder>");
            System.exit(2);
        }
        write(Path.of(args[0]));
    }

    public static void write(Path folder) throws IOException {
        new MaxMindDbWriter("GeoIP2-City", "CIAM pack demo: documentation networks")
                .insert("198.51.100.0/24", city("Berlin", "DE", 52.5200, 13.4050, "Europe/Berlin"))
                .insert("203.0.113.0/24", city("Sydney", "AU", -33.8688, 151.2093, "Australia/Sydney"))
                .insert("192.0.2.0/24", city("New York", "US", 40.7128, -74.0060, "America/New_York"))
                .insert("2001:db8::/32", city("Paris", "FR", 48.8566, 2.3522, "Europe/Paris"))
                .write(folder.resolve(CITY));
        new MaxMindDbWriter("GeoLite2-ASN", "CIAM pack demo: documentation networks")
                .insert("198.51.100.0/24", asn(64500, "Demo Carrier Berlin"))
                .insert("203.0.113.0/24", asn(64501, "Demo Carrier Sydney"))
                .insert("192.0.2.0/24", asn(64502, "Demo Carrier New York"))
                .insert("2001:db8::/32", asn(64503, "Demo Carrier Paris"))
                .write(folder.resolve(ASN));
        // The top of the Sydney network plays a VPN exit.
        new MaxMindDbWriter("GeoIP2-Anonymous-IP", "CIAM pack demo: documentation networks")
                .insert("203.0.113.240/28", Map.of("is_anonymous", true, "is_anonymous_vpn", true))
                .write(folder.resolve(ANONYMOUS_IP));
    }

    private static Map<String, Object> city(String name, String country, double latitude, double longitude, String zone) {
        return Map.of("city", Map.of("names", Map.of("en", name)),
                "country", Map.of("iso_code", country),
                "location", Map.of("latitude", latitude, "longitude", longitude, "accuracy_radius", 20, "time_zone", zone));
    }

    private static Map<String, Object> asn(long number, String organization) {
        return Map.of("autonomous_system_number", number, "autonomous_system_organization", organization);
    }
}
