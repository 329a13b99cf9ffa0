package org.ciampack.consent;

/** Where and how decisions were taken: kept in each receipt (the IP as the realm's settings allow). */
public record DecisionOrigin(Source source, String clientId, String ipAddress, String userAgent) {

    private static final int MAX_USER_AGENT = 255;

    public DecisionOrigin {
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
    }
}
