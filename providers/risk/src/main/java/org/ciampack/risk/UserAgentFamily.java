package org.ciampack.risk;

/** A coarse browser family for the history ("Chrome", "Firefox"...): enough to recognise a device, no fingerprint. */
public final class UserAgentFamily {

    private UserAgentFamily() {
    }

    public static String of(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
        // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
        String[][] families = {{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"},
                {"Chromium/", "Chromium"}, {"Safari/", "Safari"}, {"curl/", "curl"}, {"okhttp", "okhttp"},
                {"Java-http-client", "Java"}};
        for (String[] family : families) {
            if (userAgent.contains(family[0])) {
                return family[1];
            }
        }
        return "other";
    }
}
