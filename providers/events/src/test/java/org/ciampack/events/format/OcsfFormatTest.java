package org.ciampack.events.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OcsfFormatTest {

    @Test
    void credentialEventsAreTheChangeTheirCredentialTypeNames() {
        assertThat(OcsfFormat.accountActivity("UPDATE_CREDENTIAL", "password")).as("Password Change").isEqualTo(3);
        assertThat(OcsfFormat.accountActivity("UPDATE_CREDENTIAL", "otp")).as("MFA Factor Enable").isEqualTo(10);
        assertThat(OcsfFormat.accountActivity("UPDATE_CREDENTIAL", "webauthn")).isEqualTo(10);
        assertThat(OcsfFormat.accountActivity("REMOVE_CREDENTIAL", "otp")).as("MFA Factor Disable").isEqualTo(11);
        assertThat(OcsfFormat.accountActivity("REMOVE_CREDENTIAL", "webauthn-passwordless")).isEqualTo(11);
        assertThat(OcsfFormat.accountActivity("REMOVE_CREDENTIAL", "password")).as("Other").isEqualTo(99);
        assertThat(OcsfFormat.accountActivity("UPDATE_CREDENTIAL", "")).as("no type said").isEqualTo(3);
    }

    @Test
    void otherAccountEventsKeepTheirActivity() {
        assertThat(OcsfFormat.accountActivity("REGISTER", "")).isEqualTo(1);
        assertThat(OcsfFormat.accountActivity("UPDATE_TOTP", "otp")).isEqualTo(10);
        assertThat(OcsfFormat.accountActivity("REMOVE_TOTP", "")).isEqualTo(11);
        assertThat(OcsfFormat.accountActivity("DELETE_ACCOUNT", "")).isEqualTo(6);
    }
}
