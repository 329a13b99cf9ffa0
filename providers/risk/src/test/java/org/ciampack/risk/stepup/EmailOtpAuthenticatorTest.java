package org.ciampack.risk.stepup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmailOtpAuthenticatorTest {

    @Test
    void theFailureThatReachesTheFactorLocksAndNoneBefore() {
        assertThat(EmailOtpAuthenticator.wouldLock(3, 5)).isFalse();
        assertThat(EmailOtpAuthenticator.wouldLock(4, 5)).as("the 5th of 5").isTrue();
        assertThat(EmailOtpAuthenticator.wouldLock(7, 5)).as("failures past the factor lock again").isTrue();
        assertThat(EmailOtpAuthenticator.wouldLock(0, 1)).isTrue();
        assertThat(EmailOtpAuthenticator.wouldLock(100, 0)).as("no factor, no lock").isFalse();
    }
}
