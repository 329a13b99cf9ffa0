package org.ciampack.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ciampack.events.admin.ExportResourceFactory;
import org.ciampack.events.sink.ExportSinkFactory;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Keycloak only finds what META-INF/services lists: every factory in the module must be there, and nothing else. */
class ServiceRegistrationTest {

    @Test
    void everyFactoryIsRegisteredUnderItsServiceInterface() throws IOException {
        for (Class<? extends ProviderFactory> type : List.of(EventListenerProviderFactory.class,
                JpaEntityProviderFactory.class, AdminRealmResourceProviderFactory.class, ExportSinkFactory.class)) {
            assertThat(registered(type)).as(type.getSimpleName()).containsExactlyInAnyOrderElementsOf(implementations(type));
        }
        assertThat(registered(Spi.class)).containsExactly("org.ciampack.events.sink.ExportSinkSpi");
    }

    @Test
    void providerIdsAreStable() {
        assertThat(new ExportEventListenerProviderFactory().getId()).isEqualTo("ciam-export");
        assertThat(new ExportResourceFactory().getId()).isEqualTo("ciam-export");
    }

    private static List<String> registered(Class<?> service) throws IOException {
        try (InputStream in = ServiceRegistrationTest.class.getResourceAsStream("/META-INF/services/" + service.getName())) {
            assertThat(in).as("services file for " + service.getName()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }

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
