package org.ciampack.risk.signal;

import static org.assertj.core.api.Assertions.assertThat;

import org.ciampack.risk.Finding;
import org.junit.jupiter.api.Test;

class FailureHistorySignalTest {

    @Test
    void eachFailureScoresAShareUpToTheFullWeight() {
        assertThat(FailureHistorySignal.score(1, false, 5)).isEqualTo(Finding.of(0.2, "recent_failures"));
        assertThat(FailureHistorySignal.score(5, false, 5).strength()).isEqualTo(1.0);
        assertThat(FailureHistorySignal.score(50, false, 5).strength()).isEqualTo(1.0);
    }

    @Test
    void failuresFromThisAddressCountDouble() {
        assertThat(FailureHistorySignal.score(2, true, 5)).isEqualTo(Finding.of(0.8, "recent_failures_same_address"));
    }
}
