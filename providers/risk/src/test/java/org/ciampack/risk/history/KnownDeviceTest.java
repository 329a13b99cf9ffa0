package org.ciampack.risk.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownDeviceTest {

    @Test
    void oneEntryPerDeviceWithItsLatestPlace() {
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        List<PastLogin> history = List.of(
                login(now, "phone", "Sydney", "AU"),
                login(now.minusSeconds(60), "laptop", "Berlin", "DE"),
                login(now.minusSeconds(120), "phone", "Berlin", "DE"),
                login(now.minusSeconds(180), null, "Berlin", "DE"));

        assertThat(KnownDevice.of(history, "laptop")).containsExactly(
                new KnownDevice("phone", "Chrome", "Sydney", "AU", now.toEpochMilli(), 2, false),
                new KnownDevice("laptop", "Chrome", "Berlin", "DE", now.minusSeconds(60).toEpochMilli(), 1, true));
        assertThat(KnownDevice.of(history, null)).noneMatch(KnownDevice::current);
    }

    private static PastLogin login(Instant time, String device, String city, String country) {
        return new PastLogin(time, 0, "low", country, city, null, null, 0, null, device, "Chrome", null, null);
    }
}
