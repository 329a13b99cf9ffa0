package org.ciampack.risk.history;

import java.time.Instant;

/**
 * A successful login as the history remembers it; location parts may be unknown (null).
 *
 * @param localHour the hour of day (0-23) where the user was, per GeoIP's time zone; null when unknown
 */
public record PastLogin(Instant time, int score, String level, String countryCode, String city, Double latitude,
                        Double longitude, int accuracyRadiusKm, Long asn, String deviceId, String userAgentFamily,
                        String ipAddress, Integer localHour) {

    public boolean hasLocation() {
        return latitude != null && longitude != null;
    }
}
