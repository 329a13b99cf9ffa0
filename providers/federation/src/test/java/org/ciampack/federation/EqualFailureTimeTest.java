package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.events.Errors;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;

class EqualFailureTimeTest {

    @Test
    void aSlowerCheckSetsTheTimeAtOnce() {
        LegacyCheckTime time = new LegacyCheckTime();
        time.record(2_000_000);
        time.record(90_000_000);

        assertThat(time.nanos()).isEqualTo(90_000_000);
    }

    @Test
    void fasterChecksLetItGoSlowlySoThatOneExpensiveFormatAmongCheapOnesStillCounts() {
        LegacyCheckTime time = new LegacyCheckTime();
        time.record(256_000_000); // one bcrypt customer
        for (int i = 0; i < 10; i++) {
            time.record(0); // ten MD5 customers
        }

        assertThat(time.nanos()).isBetween(240_000_000L, 256_000_000L);
        for (int i = 0; i < 100 * LegacyCheckTime.RELEASE; i++) {
            time.record(1_000_000);
        }
        assertThat(time.nanos()).as("in the end, what the checks take now").isBetween(1_000_000L, 1_001_000L);
    }

    @Test
    void aNegativeDurationCountsAsNone() {
        LegacyCheckTime time = new LegacyCheckTime();
        time.record(-5);

        assertThat(time.nanos()).isZero();
    }

    @Test
    void failedSignInsAnsweredAsAWrongPasswordAreHeldAndNothingElse() {
        assertThat(EqualFailureTimeListener.held(event(EventType.LOGIN_ERROR, Errors.USER_NOT_FOUND))).isTrue();
        assertThat(EqualFailureTimeListener.held(event(EventType.LOGIN_ERROR, Errors.INVALID_USER_CREDENTIALS)))
                .isTrue();
        assertThat(EqualFailureTimeListener.held(event(EventType.LOGIN_ERROR, Errors.ACCESS_DENIED)))
                .as("the risk step's refusal and the deny list").isTrue();
        assertThat(EqualFailureTimeListener.held(event(EventType.LOGIN_ERROR, Errors.EXPIRED_CODE))).isFalse();
        assertThat(EqualFailureTimeListener.held(event(EventType.LOGIN, null))).isFalse();
        assertThat(EqualFailureTimeListener.held(event(EventType.CLIENT_LOGIN_ERROR, Errors.INVALID_USER_CREDENTIALS)))
                .isFalse();
    }

    private static Event event(EventType type, String error) {
        Event event = new Event();
        event.setType(type);
        event.setError(error);
        return event;
    }

    @Test
    void aRealmWithoutLegacyChecksOwesNothing() {
        assertThat(EqualFailureTime.owed("no-legacy-checks-" + System.nanoTime())).isZero();
        assertThat(EqualFailureTime.owed(null)).isZero();
    }
}
