package org.ciampack.risk.history;

import java.time.Instant;

/** A successful login as the history remembers it; location parts may be unknown (null). */
public record PastLogin(Instant time, int score, String level, String countryCode, String city, Double latitude,
                        Double longitude, int accuracyRadiusKm, Long asn, String deviceId, String userAgentFamily,
                        String ipAddress) {

    public boolean hasLocation() {
        return latitude != null && longitude != null;
    }
}
