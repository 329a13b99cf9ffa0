package org.ciampack.risk.stepup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneTimeCodeTest {

    @Test
    void codesAreDigitsOfTheAskedLength() {
        assertThat(OneTimeCode.generate(6)).matches("\\d{6}");
        assertThat(OneTimeCode.generate(8)).matches("\\d{8}");
    }

    @Test
    void onlyTheSameCodeInTheSameSessionMatches() {
        String stored = OneTimeCode.hash("123456", "session-1");

        assertThat(stored).doesNotContain("123456");
        assertThat(OneTimeCode.matches("123456", "session-1", stored)).isTrue();
        assertThat(OneTimeCode.matches(" 123456 ", "session-1", stored)).isTrue();
        assertThat(OneTimeCode.matches("123457", "session-1", stored)).isFalse();
        assertThat(OneTimeCode.matches("123456", "session-2", stored)).isFalse();
        assertThat(OneTimeCode.matches(null, "session-1", stored)).isFalse();
        assertThat(OneTimeCode.matches("1".repeat(100_000), "session-1", stored)).isFalse();
    }

    @Test
    void addressesAreMasked() {
        assertThat(OneTimeCode.mask("jane@acme.test")).isEqualTo("j***@acme.test");
        assertThat(OneTimeCode.mask("nonsense")).isEqualTo("***");
        assertThat(OneTimeCode.mask(null)).isEqualTo("***");
    }

    @Test
    void settingsOutOfRangeFallBack() {
        assertThat(EmailOtpSettings.of(null)).isEqualTo(new EmailOtpSettings(6, 300, 5, 30));
    }
}
