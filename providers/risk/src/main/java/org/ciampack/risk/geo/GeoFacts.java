package org.ciampack.risk.geo;

/**
 * What the GeoIP databases say about an address; every part may be unknown (null, or 0 for the radius).
 *
 * @param accuracyRadiusKm how far off the location may be, per MaxMind
 * @param anonymizer       a VPN, proxy, hosting provider or Tor exit per the Anonymous-IP database
 */
public record GeoFacts(String countryCode, String city, Double latitude, Double longitude, int accuracyRadiusKm,
                       String timeZone, Long asn, String asOrganization, boolean anonymizer) {

    public static final GeoFacts UNKNOWN = new GeoFacts(null, null, null, null, 0, null, null, null, false);

    public boolean hasLocation() {
        return latitude != null && longitude != null;
    }
}
