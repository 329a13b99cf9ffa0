package org.ciampack.risk;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ciampack.risk.geo.GeoFacts;
import org.ciampack.risk.history.PastLogin;

/**
 * What is known about one login attempt when it is scored, gathered from the Keycloak session by the
 * authenticator so that signals stay plain code.
 *
 * @param reportedAddress the client address as Keycloak reports it (after trusted proxy headers), possibly junk
 * @param address         that address when it is a valid IP literal
 * @param deviceId        the device's id from a valid device cookie, or null for an unknown device
 * @param history         the user's recent successful logins, newest first
 */
public record LoginAttempt(String realmId, String userId, String reportedAddress, Optional<InetAddress> address,
                           String userAgent, Instant time, GeoFacts geo, String deviceId, List<PastLogin> history) {

    public LoginAttempt {
        history = List.copyOf(history);
    }

    /** An attempt with no location, device or history: what is known before any lookups. */
    public static LoginAttempt bare(String realmId, String userId, String reportedAddress, Optional<InetAddress> address,
                                    String userAgent, Instant time) {
        return new LoginAttempt(realmId, userId, reportedAddress, address, userAgent, time, GeoFacts.UNKNOWN, null, List.of());
    }
}
