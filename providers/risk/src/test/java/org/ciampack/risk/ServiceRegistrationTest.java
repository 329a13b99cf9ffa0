package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.ciampack.common.testing.ServiceFiles;
import org.junit.jupiter.api.Test;

/** Keycloak only finds what META-INF/services lists: every factory in the module must be there, and nothing else. */
class ServiceRegistrationTest {

    @Test
    void everyFactoryIsRegisteredUnderItsServiceInterface() throws IOException {
        assertThat(ServiceFiles.problems()).isEmpty();
    }

    @Test
    void providerIdsAreStableAndPrefixed() {
        assertThat(new RiskAssessmentAuthenticatorFactory().getId()).isEqualTo("ciam-risk-assessment");
        assertThat(new RiskLevelConditionFactory().getId()).isEqualTo("ciam-condition-risk-level");
        assertThat(new RiskEventDetailsActionFactory().getId()).isEqualTo("ciam-risk-event-details");
    }
}
