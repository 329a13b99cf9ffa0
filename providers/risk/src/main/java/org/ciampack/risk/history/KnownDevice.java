package org.ciampack.risk.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device the user completed a login with, as the self-service shows it: what it was, where and when it was
 * last used, and whether it is the browser asking. The id is the random one in the device's cookie.
 */
public record KnownDevice(String id, String browser, String lastCity, String lastCountry, long lastUsed, int logins,
                          boolean current) {

    /**
     * One entry per device, from the user's history (newest first), most recently used first; {@code currentDevice}
     * (the asking browser's, or null) is marked.
     */
    public static List<KnownDevice> of(List<PastLogin> history, String currentDevice) {
        Map<String, KnownDevice> devices = new LinkedHashMap<>();
        for (PastLogin login : history) {
            if (login.deviceId() == null) {
                continue;
            }
            KnownDevice seen = devices.get(login.deviceId());
            devices.put(login.deviceId(), seen == null
                    ? new KnownDevice(login.deviceId(), login.userAgentFamily(), login.city(), login.countryCode(),
                            login.time().toEpochMilli(), 1, login.deviceId().equals(currentDevice))
                    : new KnownDevice(seen.id, seen.browser, seen.lastCity, seen.lastCountry, seen.lastUsed,
                            seen.logins + 1, seen.current));
        }
        return new ArrayList<>(devices.values());
    }
}
