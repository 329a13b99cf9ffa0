package org.ciampack.risk.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ciampack.risk.Finding;
import org.ciampack.risk.LoginAttempt;
import org.ciampack.risk.geo.GeoFacts;
import org.ciampack.risk.history.PastLogin;
import org.junit.jupiter.api.Test;

class HistorySignalsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final GeoFacts BERLIN = new GeoFacts("DE", "Berlin", 52.52, 13.405, 20, "Europe/Berlin", 3320L, "DTAG", false);
    private static final GeoFacts SYDNEY = new GeoFacts("AU", "Sydney", -33.87, 151.21, 20, "Australia/Sydney", 1221L, "Telstra", false);
    private static final PastLogin IN_BERLIN = new PastLogin(NOW.minusSeconds(600), 0, "low", "DE", "Berlin", 52.52, 13.405,
            20, 3320L, "device-1", "Chrome", "198.51.100.0/24", 14);

    private final Map<String, String> config = Map.of();

    @Test
    void aFirstLoginIsNotNewAnything() {
        LoginAttempt first = attempt(SYDNEY, "device-9", List.of());

        assertThat(new HistorySignals.NewDevice().evaluate(first, config)).isEqualTo(Finding.note("history_thin"));
        assertThat(new HistorySignals.NewCountry().evaluate(first, config)).isEqualTo(Finding.note("history_thin"));
        assertThat(new HistorySignals.Travel().evaluate(first, config)).isEqualTo(Finding.note("history_thin"));
    }

    @Test
    void theUsualPlaceAndDeviceAreQuiet() {
        LoginAttempt usual = attempt(BERLIN, "device-1", List.of(IN_BERLIN));

        assertThat(new HistorySignals.NewDevice().evaluate(usual, config)).isEqualTo(Finding.NOTHING);
        assertThat(new HistorySignals.NewCountry().evaluate(usual, config)).isEqualTo(Finding.NOTHING);
        assertThat(new HistorySignals.NewNetwork().evaluate(usual, config)).isEqualTo(Finding.NOTHING);
        assertThat(new HistorySignals.Travel().evaluate(usual, config)).isEqualTo(Finding.NOTHING);
    }

    @Test
    void sydneyTenMinutesAfterBerlinIsNewAndImpossible() {
        LoginAttempt far = attempt(SYDNEY, null, List.of(IN_BERLIN));

        assertThat(new HistorySignals.NewDevice().evaluate(far, config)).isEqualTo(Finding.of(1, "new_device"));
        assertThat(new HistorySignals.NewCountry().evaluate(far, config)).isEqualTo(Finding.of(1, "new_country"));
        assertThat(new HistorySignals.NewNetwork().evaluate(far, config)).isEqualTo(Finding.of(1, "new_network"));
        assertThat(new HistorySignals.Travel().evaluate(far, config)).isEqualTo(Finding.of(1, "impossible_travel"));
    }

    @Test
    void travelIsNotJudgedForAnonymizersOrUnknownPlaces() {
        GeoFacts vpn = new GeoFacts("AU", "Sydney", -33.87, 151.21, 20, null, 1221L, null, true);

        assertThat(new HistorySignals.Travel().evaluate(attempt(vpn, null, List.of(IN_BERLIN)), config))
                .isEqualTo(Finding.note("anonymizer"));
        assertThat(new HistorySignals.Travel().evaluate(attempt(GeoFacts.UNKNOWN, null, List.of(IN_BERLIN)), config))
                .isEqualTo(Finding.note("location_unknown"));
        assertThat(new HistorySignals.NewCountry().evaluate(attempt(GeoFacts.UNKNOWN, null, List.of(IN_BERLIN)), config))
                .isEqualTo(Finding.note("location_unknown"));
    }

    @Test
    void anAnonymizerAddsRiskOfItsOwn() {
        GeoFacts vpn = new GeoFacts("AU", "Sydney", -33.87, 151.21, 20, null, 1221L, null, true);

        assertThat(new HistorySignals.Anonymizer().evaluate(attempt(vpn, null, List.of()), config)).isEqualTo(Finding.of(1, "anonymizer"));
        assertThat(new HistorySignals.Anonymizer().evaluate(attempt(SYDNEY, null, List.of()), config)).isEqualTo(Finding.NOTHING);
    }

    @Test
    void topSpeedIsTheAdminsChoice() {
        LoginAttempt far = attempt(SYDNEY, "device-1", List.of(IN_BERLIN));

        assertThat(new HistorySignals.Travel().evaluate(far, Map.of("impossible-travel-max-kmh", "200000")))
                .isEqualTo(Finding.NOTHING);
        assertThat(new HistorySignals.Travel().evaluate(far, Map.of("impossible-travel-max-kmh", "fast")))
                .isEqualTo(Finding.of(1, "impossible_travel"));
    }

    @Test
    void anHourFarFromTheUsualOnesInTheUsersOwnTimeIsUnusual() {
        List<PastLogin> daytime = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            daytime.add(new PastLogin(NOW.minusSeconds(86_400L * (i + 1)), 0, "low", "DE", "Berlin", 52.52, 13.405, 20,
                    3320L, "device-1", "Chrome", null, 9 + i % 8)); // 9:00 to 16:00 Berlin time
        }
        HistorySignals.UnusualHour signal = new HistorySignals.UnusualHour();
        Instant threeAmBerlin = Instant.parse("2026-11-22T02:00:00Z");
        Instant fivePmBerlin = Instant.parse("2026-11-22T16:00:00Z");

        assertThat(signal.evaluate(at(threeAmBerlin, BERLIN, daytime), config)).isEqualTo(Finding.of(1, "unusual_hour"));
        assertThat(signal.evaluate(at(fivePmBerlin, BERLIN, daytime), config)).as("next to 16:00").isEqualTo(Finding.NOTHING);
        assertThat(signal.evaluate(at(threeAmBerlin, BERLIN, daytime.subList(0, 5)), config)).isEqualTo(Finding.note("history_thin"));
        assertThat(signal.evaluate(at(threeAmBerlin, GeoFacts.UNKNOWN, daytime), config)).isEqualTo(Finding.note("location_unknown"));
        // 02:00 UTC is 13:00 in Sydney: the user's clock, not the server's, decides.
        assertThat(signal.evaluate(at(threeAmBerlin, SYDNEY, daytime), config)).isEqualTo(Finding.NOTHING);
    }

    private static LoginAttempt at(Instant time, GeoFacts geo, List<PastLogin> history) {
        return new LoginAttempt("realm", "user", "203.0.113.9", Optional.empty(), "agent", time, geo, "device-1", history);
    }

    private static LoginAttempt attempt(GeoFacts geo, String deviceId, List<PastLogin> history) {
        return new LoginAttempt("realm", "user", "203.0.113.9", Optional.empty(), "agent", NOW, geo, deviceId, history);
    }
}
