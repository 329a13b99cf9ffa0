package org.ciampack.risk.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device the user completed a login with, as the self-service shows it: what it was, where and when it was
 * last used. The id is the random one in the device's cookie.
 */
public record KnownDevice(String id, String browser, String lastCity, String lastCountry, long lastUsed, int logins) {

    /** One entry per device, from the user's history (newest first), most recently used first. */
    public static List<KnownDevice> of(List<PastLogin> history) {
        Map<String, KnownDevice> devices = new LinkedHashMap<>();
        for (PastLogin login : history) {
            if (login.deviceId() == null) {
                continue;
            }
            KnownDevice seen = devices.get(login.deviceId());
            devices.put(login.deviceId(), seen == null
                    ? new KnownDevice(login.deviceId(), login.userAgentFamily(), login.city(), login.countryCode(),
                            login.time().toEpochMilli(), 1)
                    : new KnownDevice(seen.id, seen.browser, seen.lastCity, seen.lastCountry, seen.lastUsed, seen.logins + 1));
        }
        return new ArrayList<>(devices.values());
    }
}
