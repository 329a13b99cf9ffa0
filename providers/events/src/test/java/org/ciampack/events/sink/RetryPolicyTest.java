package org.ciampack.events.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.ciampack.events.sink.RetryPolicy.Outcome;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(10), 5, Duration.ofDays(1));

    @Test
    void onlyTransientAnswersAreRetried() {
        assertThat(RetryPolicy.classify(200)).isEqualTo(Outcome.DELIVERED);
        assertThat(RetryPolicy.classify(204)).isEqualTo(Outcome.DELIVERED);
        assertThat(RetryPolicy.classify(408)).isEqualTo(Outcome.RETRY);
        assertThat(RetryPolicy.classify(429)).isEqualTo(Outcome.RETRY);
        assertThat(RetryPolicy.classify(500)).isEqualTo(Outcome.RETRY);
        assertThat(RetryPolicy.classify(503)).isEqualTo(Outcome.RETRY);
        assertThat(RetryPolicy.classify(400)).isEqualTo(Outcome.REJECTED);
        assertThat(RetryPolicy.classify(401)).isEqualTo(Outcome.REJECTED);
        assertThat(RetryPolicy.classify(404)).isEqualTo(Outcome.REJECTED);
        assertThat(RetryPolicy.classify(301)).as("a signed webhook is not re-sent elsewhere").isEqualTo(Outcome.REJECTED);
    }

    @Test
    void waitsGrowExponentiallyWithJitterUpToTheCap() {
        Random random = new Random(42);
        for (int attempt = 2; attempt <= 12; attempt++) {
            long ceiling = Math.min(Duration.ofMinutes(10).toMillis(), 5000L << (attempt - 2));
            for (int i = 0; i < 50; i++) {
                long wait = policy.delayBefore(attempt, Optional.empty(), random).toMillis();
                assertThat(wait).as("try " + attempt).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void retryAfterIsHonouredButCapped() {
        Random random = new Random(1);
        assertThat(policy.delayBefore(2, Optional.of(Duration.ofSeconds(120)), random)).isEqualTo(Duration.ofSeconds(120));
        assertThat(policy.delayBefore(2, Optional.of(Duration.ofDays(2)), random)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void readsRetryAfterInBothForms() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        assertThat(RetryPolicy.retryAfter("30", now)).contains(Duration.ofSeconds(30));
        assertThat(RetryPolicy.retryAfter("Mon, 23 Nov 2026 10:02:00 GMT", now)).contains(Duration.ofMinutes(2));
        assertThat(RetryPolicy.retryAfter("Mon, 23 Nov 2026 09:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryPolicy.retryAfter("-5", now)).isEmpty();
        assertThat(RetryPolicy.retryAfter("soon", now)).isEmpty();
        assertThat(RetryPolicy.retryAfter(null, now)).isEmpty();
    }

    @Test
    void givesUpAfterTheAttemptsOrTheAge() {
        Instant created = Instant.parse("2026-11-23T10:00:00Z");
        assertThat(policy.exhausted(4, created, created.plusSeconds(60))).isFalse();
        assertThat(policy.exhausted(5, created, created.plusSeconds(60))).isTrue();
        assertThat(policy.exhausted(1, created, created.plus(Duration.ofDays(1)).plusSeconds(1))).isTrue();
    }
}
