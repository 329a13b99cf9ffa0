package org.ciampack.risk;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * What is known about one login attempt when it is scored, gathered from the Keycloak session by the
 * authenticator so that signals stay plain code.
 *
 * @param reportedAddress the client address as Keycloak reports it (after trusted proxy headers), possibly junk
 * @param address         that address when it is a valid IP literal
 */
public record LoginAttempt(String realmId, String userId, String reportedAddress, Optional<InetAddress> address,
                           String userAgent, Instant time) {
}
