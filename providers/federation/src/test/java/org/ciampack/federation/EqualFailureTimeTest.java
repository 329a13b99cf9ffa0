package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.events.Errors;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;

class EqualFailureTimeTest {

    private static final long CEILING = 1_000_000_000;
    private static final long MINUTE = 60_000_000_000L;
    private static final long HALF_LIFE = LegacyCheckTime.HALF_LIFE.toNanos();

    @Test
    void aSlowerCheckSetsTheTimeAtOnce() {
        LegacyCheckTime time = new LegacyCheckTime(CEILING);
        time.record(2_000_000, 0);
        time.record(90_000_000, MINUTE);

        assertThat(time.nanos(MINUTE)).isEqualTo(90_000_000);
    }

    @Test
    void manyCheapChecksDoNotWearDownWhatOneExpensiveFormatTakes() {
        LegacyCheckTime time = new LegacyCheckTime(CEILING);
        time.record(256_000_000, 0); // one bcrypt customer
        for (int i = 0; i < 10_000; i++) {
            time.record(1_000, i); // ten thousand MD5 customers within the same moment
        }

        assertThat(time.nanos(10_000)).isBetween(255_000_000L, 256_000_000L);
    }

    @Test
    void itIsLetGoWithTimeHalvedEachHalfLife() {
        LegacyCheckTime time = new LegacyCheckTime(CEILING);
        time.record(400_000_000, 0);

        assertThat(time.nanos(HALF_LIFE)).isBetween(199_000_000L, 201_000_000L);
        assertThat(time.nanos(2 * HALF_LIFE)).isBetween(99_000_000L, 101_000_000L);
        time.record(150_000_000, 2 * HALF_LIFE);
        assertThat(time.nanos(2 * HALF_LIFE)).as("a check slower than what is left sets it again")
                .isEqualTo(150_000_000);
    }

    @Test
    void aStallCountsOnlyUpToTheCeiling() {
        LegacyCheckTime time = new LegacyCheckTime(CEILING);
        time.record(30_000_000_000L, 0); // a 30 s pause of the JVM
        LegacyCheckTime clockBack = new LegacyCheckTime(CEILING);
        clockBack.record(-5, 0);

        assertThat(time.nanos(0)).isEqualTo(CEILING);
        assertThat(clockBack.nanos(0)).isZero();
    }

    @Test
    void failuresAreHeldAQuarterLongerThanTheSlowestCheck() {
        LegacyCheckTime time = new LegacyCheckTime(CEILING);
        assertThat(time.held(0)).isZero();
        time.record(400_000_000, 0);

        assertThat(time.held(0)).isEqualTo(500_000_000);
        assertThat(time.held(HALF_LIFE)).isBetween(249_000_000L, 251_000_000L);
    }

    @Test
    void aTypicalTimeIsNotMovedByOneSlowRun() {
        TypicalTime time = new TypicalTime();
        assertThat(time.nanos()).isZero();
        for (long millis : new long[] {50, 52, 48, 400, 51, 49}) {
            time.record(millis * 1_000_000);
        }
        assertThat(time.nanos()).isEqualTo(51_000_000);
        for (int i = 0; i < 9; i++) {
            time.record(90_000_000);
        }
        assertThat(time.nanos()).as("only the last few count").isEqualTo(90_000_000);
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
