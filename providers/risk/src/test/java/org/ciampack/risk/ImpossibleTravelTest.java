package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.ciampack.risk.ImpossibleTravel.Fix;
import org.junit.jupiter.api.Test;

class ImpossibleTravelTest {

    private static final Instant NOON = Instant.parse("2026-11-22T12:00:00Z");
    private static final Fix BERLIN = new Fix(52.52, 13.405, 20, NOON);

    @Test
    void berlinToSydneyIsAboutSixteenThousandKilometres() {
        assertThat(ImpossibleTravel.distanceKm(BERLIN, sydney(NOON))).isCloseTo(16_090, within(50.0));
    }

    @Test
    void berlinToSydneyInTenMinutesIsImpossible() {
        assertThat(ImpossibleTravel.isImpossible(BERLIN, sydney(NOON.plusSeconds(600)), 900)).isTrue();
    }

    @Test
    void berlinToSydneyInADayIsPossible() {
        assertThat(ImpossibleTravel.isImpossible(BERLIN, sydney(NOON.plusSeconds(24 * 3600)), 900)).isFalse();
    }

    @Test
    void accuracyRadiiAreGivenToTheUser() {
        Fix potsdamRough = new Fix(52.39, 13.06, 100, NOON.plusSeconds(60));
        // ~27 km apart, but each place is only known within 20 and 100 km: no distance left to explain.
        assertThat(ImpossibleTravel.requiredSpeedKmh(BERLIN, potsdamRough)).isZero();
    }

    @Test
    void orderOfTheFixesDoesNotMatter() {
        Fix later = sydney(NOON.plusSeconds(3600));
        assertThat(ImpossibleTravel.requiredSpeedKmh(BERLIN, later))
                .isCloseTo(ImpossibleTravel.requiredSpeedKmh(later, BERLIN), within(0.001));
    }

    private static Fix sydney(Instant at) {
        return new Fix(-33.8688, 151.2093, 20, at);
    }
}
