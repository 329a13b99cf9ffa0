package org.ciampack.risk.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.ciampack.risk.history.NoticeLimits.Sent;
import org.junit.jupiter.api.Test;

class NoticeLimitsTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private final NoticeLimits limits = NoticeLimits.of(30, 3);

    @Test
    void aNewDeviceIsToldOnceWithinTheWindow() {
        List<Sent> first = limits.send(List.of(), List.of("device:a"), NOW);
        assertThat(first).containsExactly(new Sent("device:a", NOW));
        assertThat(limits.send(first, List.of("device:a"), NOW.plus(Duration.ofDays(29)))).isNull();
        assertThat(limits.send(first, List.of("device:a"), NOW.plus(Duration.ofDays(31)))).isNotNull();
    }

    @Test
    void aNewCountryIsToldEvenWhenItsDeviceWasTold() {
        List<Sent> sent = limits.send(List.of(), List.of("device:a"), NOW);
        assertThat(limits.send(sent, List.of("device:a", "country:FR"), NOW.plusSeconds(60)))
                .extracting(Sent::key).containsExactly("device:a", "device:a", "country:FR");
    }

    @Test
    void noMoreThanTheDailyMaximumWhateverIsNew() {
        List<Sent> sent = List.of();
        for (String key : List.of("country:FR", "country:US", "country:AU")) {
            sent = limits.send(sent, List.of(key), NOW);
            assertThat(sent).isNotNull();
        }
        assertThat(limits.send(sent, List.of("country:JP"), NOW.plusSeconds(3600))).as("a fourth today").isNull();
        assertThat(limits.send(sent, List.of("country:JP"), NOW.plus(Duration.ofHours(25)))).as("tomorrow").isNotNull();
    }

    @Test
    void oldNoticesAreForgottenAndTheNoteCarriesTheLimits() {
        List<Sent> old = List.of(new Sent("device:a", NOW.minus(Duration.ofDays(40))));
        assertThat(limits.send(old, List.of("device:b"), NOW)).containsExactly(new Sent("device:b", NOW));
        assertThat(NoticeLimits.fromNote(limits.note())).isEqualTo(limits);
        assertThat(NoticeLimits.fromNote("true")).isEqualTo(NoticeLimits.of(30, 3));
        assertThat(limits.send(List.of(), List.of(), NOW)).isNull();
    }
}
