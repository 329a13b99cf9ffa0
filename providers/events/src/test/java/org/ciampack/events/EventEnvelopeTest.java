package org.ciampack.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static final long TIME = Instant.parse("2026-11-23T09:33:20.123Z").toEpochMilli();

    @Test
    void aUserEventIsACloudEventKeyedByKeycloaksEventId() {
        Event login = new Event();
        login.setId("6f1c0a7e-0000-4000-8000-000000000001");
        login.setTime(TIME);
        login.setType(EventType.LOGIN);
        login.setRealmId("realm-uuid");
        login.setRealmName("acme");
        login.setClientId("acme-web");
        login.setUserId("user-uuid");
        login.setSessionId("session-uuid");
        login.setIpAddress("198.51.100.7");
        login.setDetails(Map.of("risk_level", "low"));

        ObjectNode envelope = EventEnvelope.of(login);

        assertThat(envelope.get("specversion").asText()).isEqualTo("1.0");
        assertThat(envelope.get("id").asText()).isEqualTo("6f1c0a7e-0000-4000-8000-000000000001");
        assertThat(envelope.get("source").asText()).isEqualTo("/realms/acme");
        assertThat(envelope.get("type").asText()).isEqualTo("org.ciampack.keycloak.user.LOGIN");
        assertThat(envelope.get("time").asText()).isEqualTo("2026-11-23T09:33:20.123Z");
        assertThat(envelope.get("subject").asText()).isEqualTo("user-uuid");
        assertThat(envelope.get("ciamschema").asText()).isEqualTo(EventEnvelope.SCHEMA_VERSION);
        assertThat(envelope.at("/data/clientId").asText()).isEqualTo("acme-web");
        assertThat(envelope.at("/data/ipAddress").asText()).isEqualTo("198.51.100.7");
        assertThat(envelope.at("/data/details/risk_level").asText()).isEqualTo("low");
        assertThat(envelope.at("/data/updated_at").asText()).isEqualTo(envelope.get("time").asText());
        assertThat(envelope.at("/data/error").isNull()).isTrue();
    }

    @Test
    void anAdminEventCarriesWhoDidWhatAndTheRepresentationOnlyWhenAsked() {
        AdminEvent update = adminEvent(OperationType.UPDATE, ResourceType.USER, "users/user-uuid",
                "{\"email\":\"jane@acme.test\"}");
        update.setId("6f1c0a7e-0000-4000-8000-000000000002");
        AuthDetails admin = new AuthDetails();
        admin.setRealmId("master-uuid");
        admin.setUserId("admin-uuid");
        admin.setClientId("security-admin-console");
        admin.setIpAddress("10.0.0.5");
        update.setAuthDetails(admin);

        ObjectNode without = EventEnvelope.of(update, false);
        ObjectNode with = EventEnvelope.of(update, true);

        assertThat(without.get("type").asText()).isEqualTo("org.ciampack.keycloak.admin.USER.UPDATE");
        assertThat(without.get("subject").asText()).isEqualTo("users/user-uuid");
        assertThat(without.at("/data/auth/userId").asText()).isEqualTo("admin-uuid");
        assertThat(without.toString()).doesNotContain("jane@acme.test");
        assertThat(with.at("/data/representation/email").asText()).isEqualTo("jane@acme.test");
    }

    @Test
    void anEventWithoutAnIdStillGetsAUniqueOne() {
        Event event = new Event();
        event.setTime(TIME);
        event.setType(EventType.LOGIN_ERROR);
        event.setRealmName("acme");
        event.setError("invalid_user_credentials");

        ObjectNode first = EventEnvelope.of(event);
        ObjectNode second = EventEnvelope.of(event);

        assertThat(first.get("id").asText()).isNotBlank().isNotEqualTo(second.get("id").asText());
        assertThat(first.has("subject")).isFalse();
        assertThat(first.at("/data/error").asText()).isEqualTo("invalid_user_credentials");
    }

    @Test
    void aRepresentationTooLargeToExportIsLeftOutAndItsLengthSaid() {
        String huge = "{\"users\":\"" + "x".repeat(EventEnvelope.MAX_REPRESENTATION_CHARS) + "\"}";
        AdminEvent partialImport = adminEvent(OperationType.CREATE, ResourceType.REALM, "partialImport", huge);

        ObjectNode data = (ObjectNode) EventEnvelope.of(partialImport, true).get("data");

        assertThat(data.has("representation")).isFalse();
        assertThat(data.get("representationOmitted").asText())
                .isEqualTo("longer than 262144 characters (" + huge.length() + ")");
    }

    /** An admin event in realm {@code acme} at {@link #TIME}. */
    static AdminEvent adminEvent(OperationType operation, ResourceType resource, String path, String representation) {
        AdminEvent event = new AdminEvent();
        event.setTime(TIME);
        event.setRealmId("realm-uuid");
        event.setRealmName("acme");
        event.setOperationType(operation);
        event.setResourceType(resource);
        event.setResourcePath(path);
        event.setRepresentation(representation);
        return event;
    }
}
