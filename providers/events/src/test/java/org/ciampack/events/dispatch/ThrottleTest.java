package org.ciampack.events.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrottleTest {

    @Test
    void aStormOfOneTypeIsCutAtThePerMinuteLimitWithoutStarvingOtherTypes() {
        Throttle throttle = new Throttle(60);
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            admitted += throttle.admit("LOGIN_ERROR", 1_000) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(60);
        assertThat(throttle.admit("REGISTER", 1_000)).isTrue();
        assertThat(throttle.admit("LOGIN_ERROR", 1_000)).isFalse();
        assertThat(throttle.admit("LOGIN_ERROR", 2_000)).as("one token back per second at 60/min").isTrue();
        assertThat(throttle.admit("LOGIN_ERROR", 2_000)).isFalse();
    }

    @Test
    void aTokenGivenBackLetsOneMoreEventGoButNeverMoreThanTheLimit() {
        Throttle throttle = new Throttle(2);
        assertThat(throttle.admit("LOGIN", 0)).isTrue();
        assertThat(throttle.admit("LOGIN", 0)).isTrue();
        assertThat(throttle.admit("LOGIN", 0)).isFalse();
        throttle.giveBack("LOGIN"); // the transaction that wrote the second one rolled back
        assertThat(throttle.admit("LOGIN", 0)).isTrue();
        assertThat(throttle.admit("LOGIN", 0)).isFalse();
        throttle.giveBack("LOGIN");
        throttle.giveBack("LOGIN");
        throttle.giveBack("LOGIN");
        assertThat(throttle.admit("LOGIN", 0)).isTrue();
        assertThat(throttle.admit("LOGIN", 0)).isTrue();
        assertThat(throttle.admit("LOGIN", 0)).as("given back past the limit").isFalse();
        throttle.giveBack("REGISTER"); // never admitted: nothing to give back
        assertThat(throttle.limits()).isTrue();
        assertThat(new Throttle(0).limits()).isFalse();
    }

    @Test
    void zeroMeansNoLimit() {
        Throttle throttle = new Throttle(0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(throttle.admit("LOGIN_ERROR", 0)).isTrue();
        }
    }
}
