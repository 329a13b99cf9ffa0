package org.ciampack.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ciampack.risk.geo.GeoIpFactory;
import org.ciampack.risk.signal.RiskSignalFactory;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;
import org.keycloak.services.resource.RealmResourceProviderFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Keycloak only finds what META-INF/services lists: every factory in the module must be there, and nothing else. */
class ServiceRegistrationTest {

    @Test
    void everyFactoryIsRegisteredUnderItsServiceInterface() throws IOException {
        assertThat(registered(AuthenticatorFactory.class)).containsExactlyInAnyOrderElementsOf(implementations(AuthenticatorFactory.class));
        assertThat(registered(RiskSignalFactory.class)).containsExactlyInAnyOrderElementsOf(implementations(RiskSignalFactory.class));
        assertThat(registered(Spi.class)).containsExactlyInAnyOrder("org.ciampack.risk.signal.RiskSignalSpi",
                "org.ciampack.risk.geo.GeoIpSpi");
        assertThat(registered(GeoIpFactory.class)).containsExactlyInAnyOrderElementsOf(implementations(GeoIpFactory.class));
        assertThat(registered(JpaEntityProviderFactory.class))
                .containsExactlyInAnyOrderElementsOf(implementations(JpaEntityProviderFactory.class));
        assertThat(registered(RealmResourceProviderFactory.class))
                .containsExactlyInAnyOrderElementsOf(implementations(RealmResourceProviderFactory.class));
        assertThat(registered(AdminRealmResourceProviderFactory.class))
                .containsExactlyInAnyOrderElementsOf(implementations(AdminRealmResourceProviderFactory.class));
        assertThat(registered(EventListenerProviderFactory.class))
                .containsExactlyInAnyOrderElementsOf(implementations(EventListenerProviderFactory.class));
    }

    @Test
    void providerIdsAreStableAndPrefixed() {
        assertThat(new RiskAssessmentAuthenticatorFactory().getId()).isEqualTo("ciam-risk-assessment");
        assertThat(new RiskLevelConditionFactory().getId()).isEqualTo("ciam-condition-risk-level");
    }

    private static List<String> registered(Class<?> service) throws IOException {
        try (InputStream in = ServiceRegistrationTest.class.getResourceAsStream("/META-INF/services/" + service.getName())) {
            assertThat(in).as("services file for " + service.getName()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }

    /** Concrete classes of this module that implement the given factory interface. */
    private static List<String> implementations(Class<? extends ProviderFactory> type) throws IOException {
        Path classes = Path.of("target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .map(file -> classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(name -> {
                        try {
                            Class<?> candidate = Class.forName(name);
                            return type.isAssignableFrom(candidate) && !candidate.isInterface()
                                    && !candidate.isAnonymousClass()
                                    && !java.lang.reflect.Modifier.isAbstract(candidate.getModifiers());
                        } catch (ClassNotFoundException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
    }
}
