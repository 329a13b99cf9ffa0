package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.events.Errors;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;

class EqualFailureTimeTest {

    private static final long CEILING = 1_000_000_000;

    @Test
    void aSlowerCheckSetsTheTimeAtOnce() {
        LegacyCheckTime time = new LegacyCheckTime(CEILING);
        time.record(2_000_000);
        time.record(90_000_000);

        assertThat(time.nanos()).isEqualTo(90_000_000);
    }

    @Test
    void fasterChecksLetItGoSlowlySoThatOneExpensiveFormatAmongCheapOnesStillCounts() {
        LegacyCheckTime time = new LegacyCheckTime(CEILING);
        time.record(256_000_000); // one bcrypt customer
        for (int i = 0; i < 3; i++) {
            time.record(0); // three MD5 customers
        }

        assertThat(time.nanos()).isBetween(240_000_000L, 256_000_000L);
        for (int i = 0; i < 100 * LegacyCheckTime.RELEASE; i++) {
            time.record(1_000_000);
        }
        assertThat(time.nanos()).as("in the end, what the checks take now").isBetween(1_000_000L, 1_000_100L);
    }

    @Test
    void aStallCountsOnlyUpToTheCeiling() {
        LegacyCheckTime time = new LegacyCheckTime(CEILING);
        time.record(30_000_000_000L); // a 30 s pause of the JVM
        LegacyCheckTime clockBack = new LegacyCheckTime(CEILING);
        clockBack.record(-5);

        assertThat(time.nanos()).isEqualTo(CEILING);
        assertThat(clockBack.nanos()).isZero();
    }

    @Test
    void whatARequestSpentOnLegacyWorkIsNotOwedAgain() {
        LegacyCheckTime time = new LegacyCheckTime(CEILING);
        time.record(400_000_000);

        assertThat(time.owed(0)).as("an unknown address").isEqualTo(400_000_000);
        assertThat(time.owed(3_000_000)).as("an unknown address looked up in the legacy database")
                .isEqualTo(397_000_000);
        assertThat(time.owed(120_000_000)).as("a legacy customer with a cheaper hash").isEqualTo(280_000_000);
        assertThat(time.owed(500_000_000)).as("a legacy customer with the slowest hash").isZero();
    }

    @Test
    void failedSignInsAnsweredAsAWrongPasswordAreHeldAndNothingElse() {
        for (String error : new String[] {Errors.USER_NOT_FOUND, Errors.INVALID_USER_CREDENTIALS,
                Errors.USER_TEMPORARILY_DISABLED, Errors.USER_DISABLED, Errors.INVALID_USER, Errors.ACCESS_DENIED}) {
            assertThat(EqualFailureTimeListener.held(event(EventType.LOGIN_ERROR, error))).as(error).isTrue();
        }
        assertThat(EqualFailureTimeListener.held(event(EventType.LOGIN_ERROR, Errors.EXPIRED_CODE))).isFalse();
        assertThat(EqualFailureTimeListener.held(event(EventType.LOGIN, null))).isFalse();
        assertThat(EqualFailureTimeListener.held(event(EventType.CLIENT_LOGIN_ERROR, Errors.INVALID_USER_CREDENTIALS)))
                .isFalse();
    }

    @Test
    void aRealmWithoutLegacyChecksOwesNothing() {
        assertThat(EqualFailureTime.owed("no-legacy-checks-" + System.nanoTime())).isZero();
        assertThat(EqualFailureTime.owed(null)).isZero();
    }

    private static Event event(EventType type, String error) {
        Event event = new Event();
        event.setType(type);
        event.setError(error);
        return event;
    }
}
