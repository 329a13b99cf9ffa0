package org.ciampack.risk.geo;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/** Reads City, ASN and Anonymous-IP records (any of them may be absent) into {@link GeoFacts}. */
final class MaxMindGeoIp implements GeoIp {

    private final MaxMindDatabase city;
    private final MaxMindDatabase asn;
    private final MaxMindDatabase anonymousIp;

    MaxMindGeoIp(MaxMindDatabase city, MaxMindDatabase asn, MaxMindDatabase anonymousIp) {
        this.city = city;
        this.asn = asn;
        this.anonymousIp = anonymousIp;
    }

    @Override
    public GeoFacts locate(InetAddress address) {
        if (address == null || isPrivate(address)) {
            return GeoFacts.UNKNOWN;
        }
        Map<String, Object> place = lookup(city, address);
        Map<String, Object> network = lookup(asn, address);
        Map<String, Object> anonymity = lookup(anonymousIp, address);
        return new GeoFacts(
                text(place, "country", "iso_code"),
                text(place, "city", "names", "en"),
                number(place, "location", "latitude").map(Number::doubleValue).orElse(null),
                number(place, "location", "longitude").map(Number::doubleValue).orElse(null),
                number(place, "location", "accuracy_radius").map(Number::intValue).orElse(0),
                text(place, "location", "time_zone"),
                number(network, "autonomous_system_number").map(Number::longValue).orElse(null),
                text(network, "autonomous_system_organization"),
                flag(anonymity, "is_anonymous") || flag(anonymity, "is_tor_exit_node")
                        || flag(anonymity, "is_public_proxy") || flag(anonymity, "is_anonymous_vpn"));
    }

    private static Map<String, Object> lookup(MaxMindDatabase database, InetAddress address) {
        return database == null ? Map.of() : database.lookup(address).orElse(Map.of());
    }

    /** No database knows these; they mean "somewhere on our own network". */
    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte first = address.getAddress()[0];
        return address instanceof Inet6Address && (first & 0xfe) == 0xfc; // fc00::/7, unique local
    }

    private static Object at(Map<String, Object> record, String... path) {
        Object value = record;
        for (String key : path) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(key);
        }
        return value;
    }

    private static String text(Map<String, Object> record, String... path) {
        return at(record, path) instanceof String text ? text : null;
    }

    private static Optional<Number> number(Map<String, Object> record, String... path) {
        return at(record, path) instanceof Number number ? Optional.of(number) : Optional.empty();
    }

    private static boolean flag(Map<String, Object> record, String key) {
        return Boolean.TRUE.equals(record.get(key));
    }
}
