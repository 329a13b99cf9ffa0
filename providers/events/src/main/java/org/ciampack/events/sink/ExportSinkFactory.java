package org.ciampack.events.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.ciampack.common.AddressPolicy;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;

/**
 * A kind of destination for export routes ({@code "sink": "<id>"}). The pack brings {@code webhook}, {@code crm},
 * {@code splunk-hec} and {@code syslog}; an operator adds one by implementing this interface in a provider JAR and
 * listing it in {@code META-INF/services/org.ciampack.events.sink.ExportSinkFactory}. A sink that connects anywhere
 * resolves its host with {@link SinkContext#destinations()} ({@link AddressPolicy#permitted(String, String,
 * java.time.Duration)}: as one of its realm's lookups, within its connect timeout) and connects to exactly the
 * addresses it returns; what it reports back names a status, never what the receiver sent.
 */
public interface ExportSinkFactory extends ProviderFactory<ExportSinkFactory>, Provider {

    /** Problems with a route's settings, as sentences for the admin; empty when the settings are usable. */
    List<String> validate(ObjectNode settings);

    /** Opens the sink for a route; an {@link IllegalArgumentException} says why it cannot be opened. */
    ExportSink open(SinkContext context);

    @Override
    default ExportSinkFactory create(KeycloakSession session) {
        return this;
    }

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}
