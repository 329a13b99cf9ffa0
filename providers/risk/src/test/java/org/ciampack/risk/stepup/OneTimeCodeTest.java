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
        assertThat(EmailOtpSettings.of(null)).isEqualTo(new EmailOtpSettings(6, 300, 5, 30, 3, 10));
        org.keycloak.models.AuthenticatorConfigModel model = new org.keycloak.models.AuthenticatorConfigModel();
        model.setConfig(java.util.Map.of("max-codes", "0", "max-attempts", "3"));
        assertThat(EmailOtpSettings.of(model)).as("at least one code per sign-in").isEqualTo(new EmailOtpSettings(6, 300, 3, 30, 3, 10));
        model.setConfig(java.util.Map.of("max-codes", "2"));
        assertThat(EmailOtpSettings.of(model).maxCodes()).isEqualTo(2);
        model.setConfig(java.util.Map.of("max-codes-per-day", "1000"));
        assertThat(EmailOtpSettings.of(model).maxCodesPerDay()).as("at most 100 a day").isEqualTo(10);
        model.setConfig(java.util.Map.of("max-codes-per-day", "4"));
        assertThat(EmailOtpSettings.of(model).maxCodesPerDay()).isEqualTo(4);
    }
}
