package org.ciampack.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionRateTest {

    private static final Instant NOW = Instant.parse("2026-11-29T18:00:00Z");
    private final DecisionRate rate = new DecisionRate(20);

    @Test
    void decisionsUpToTheLimitPass() {
        assertThat(rate.wait(0, null, 1, NOW)).isEmpty();
        assertThat(rate.wait(19, NOW.minusSeconds(30), 1, NOW)).isEmpty();
    }

    @Test
    void beyondTheLimitTheWaitEndsWhenTheOldestDecisionLeavesTheMinute() {
        assertThat(rate.wait(20, NOW.minusSeconds(45), 1, NOW)).contains(Duration.ofSeconds(15));
        assertThat(rate.wait(20, NOW.minusMillis(44_500), 1, NOW)).as("rounded up to whole seconds")
                .contains(Duration.ofSeconds(16));
        assertThat(rate.wait(20, NOW.minusSeconds(60), 1, NOW)).as("never less than a second")
                .contains(Duration.ofSeconds(1));
        assertThat(rate.wait(18, NOW.minusSeconds(10), 3, NOW)).contains(Duration.ofSeconds(50));
    }
}
