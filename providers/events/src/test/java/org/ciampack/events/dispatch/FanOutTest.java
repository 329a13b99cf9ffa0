package org.ciampack.events.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which rows the dispatcher's fan-out lets go instead of handing them out. */
class FanOutTest {

    @Test
    void aUserEventNoRouteWantsAndNoReplayWouldSendIsLetGo() {
        assertThat(FanOut.drops(true, false, false, () -> false)).isTrue();
    }

    @Test
    void everythingElseIsHandedOut() {
        assertThat(FanOut.drops(true, false, true, () -> false)).as("a route wants it").isFalse();
        assertThat(FanOut.drops(true, false, false, () -> true)).as("kept for replay").isFalse();
        assertThat(FanOut.drops(true, true, false, () -> false)).as("an admin event").isFalse();
        assertThat(FanOut.drops(false, false, false, () -> false)).as("a removed realm's row").isFalse();
    }

    @Test
    void whetherAReplayWouldSendItIsAskedOnlyOfAnUnwantedUserEvent() {
        assertThat(FanOut.drops(true, false, true, () -> {
            throw new AssertionError("asked");
        })).isFalse();
        assertThat(FanOut.drops(true, true, false, () -> {
            throw new AssertionError("asked");
        })).isFalse();
    }
}
