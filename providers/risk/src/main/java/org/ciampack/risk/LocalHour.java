package org.ciampack.risk;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;

/** The hour of day where the user is, from GeoIP's time zone: the server's clock says nothing about the user. */
public final class LocalHour {

    private LocalHour() {
    }

    /** 0-23, or null when the time zone is unknown or not a valid zone id. */
    public static Integer of(Instant time, String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return null;
        }
        try {
            return time.atZone(ZoneId.of(timeZone)).getHour();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
