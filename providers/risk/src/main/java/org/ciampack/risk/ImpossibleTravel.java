package org.ciampack.risk;

import java.time.Duration;
import java.time.Instant;

/**
 * Could one person have made both logins? Great-circle distance between them, less both GeoIP accuracy radii
 * (the locations are that uncertain), divided by the time between them, against a top speed.
 */
public final class ImpossibleTravel {

    private static final double EARTH_RADIUS_KM = 6371.0088;

    private ImpossibleTravel() {
    }

    /** A point with its GeoIP uncertainty, at a time. */
    public record Fix(double latitude, double longitude, int accuracyRadiusKm, Instant time) {
    }

    /** The speed in km/h needed to get from one fix to the other, giving the benefit of the accuracy radii. */
    public static double requiredSpeedKmh(Fix from, Fix to) {
        double distance = Math.max(0, distanceKm(from, to) - from.accuracyRadiusKm() - to.accuracyRadiusKm());
        double hours = Math.max(Duration.between(from.time(), to.time()).abs().toSeconds(), 60) / 3600.0;
        return distance / hours;
    }

    public static boolean isImpossible(Fix from, Fix to, double maxSpeedKmh) {
        return requiredSpeedKmh(from, to) > maxSpeedKmh;
    }

    /** Haversine distance in km. */
    public static double distanceKm(Fix from, Fix to) {
        double lat1 = Math.toRadians(from.latitude());
        double lat2 = Math.toRadians(to.latitude());
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(to.longitude() - from.longitude());
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
