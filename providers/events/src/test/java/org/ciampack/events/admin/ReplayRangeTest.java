package org.ciampack.events.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayRangeTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void aRangeUpToAMonthIsTakenAndToDefaultsToNow() {
        ReplayRange range = ReplayRange.parse("2026-11-01T00:00:00Z", null, NOW);
        assertThat(range.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(range.to()).isEqualTo(NOW);
        assertThat(ReplayRange.parse("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", NOW).to())
                .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void longerOrBackwardOrUnreadableRangesAreRefusedWithASentence() {
        assertThatThrownBy(() -> ReplayRange.parse("2026-01-01T00:00:00Z", null, NOW))
                .hasMessage("a replay covers at most 31 days; replay a longer time in several ranges");
        assertThatThrownBy(() -> ReplayRange.parse("2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z", NOW))
                .hasMessage("to must be after from");
        assertThatThrownBy(() -> ReplayRange.parse("yesterday", null, NOW)).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> ReplayRange.parse(null, null, NOW)).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> ReplayRange.parse("+300000000-01-01T00:00:00Z", "+300000000-01-02T00:00:00Z", NOW))
                .as("a day millions of years away, which has no time in milliseconds").hasMessageContaining("ISO-8601");
    }

    @Test
    void aRangeWithMoreEventsThanTheLimitIsTooMany() {
        assertThat(ReplayRange.tooMany(100, 100)).isNull();
        assertThat(ReplayRange.tooMany(101, 100))
                .isEqualTo("the range holds 101 events; one replay takes at most 100: replay shorter ranges one after the other");
    }
}
