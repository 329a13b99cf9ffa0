package org.ciampack.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.ciampack.common.testing.ServiceFiles;
import org.ciampack.events.admin.ExportResourceFactory;
import org.junit.jupiter.api.Test;

/** Keycloak only finds what META-INF/services lists: every factory in the module must be there, and nothing else. */
class ServiceRegistrationTest {

    @Test
    void everyFactoryIsRegisteredUnderItsServiceInterface() throws IOException {
        assertThat(ServiceFiles.problems()).isEmpty();
    }

    @Test
    void providerIdsAreStable() {
        assertThat(new ExportEventListenerProviderFactory().getId()).isEqualTo("ciam-export");
        assertThat(new ExportResourceFactory().getId()).isEqualTo("ciam-export");
    }
}
