package org.ciampack.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.keycloak.events.Event;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;

/**
 * The exported form of a Keycloak event: a CloudEvents 1.0 JSON envelope ({@code specversion}, {@code id},
 * {@code source}, {@code type}, {@code time}) around the event's data. The id is Keycloak's event id, so a receiver
 * that sees a delivery twice (delivery is at least once) drops the copy by id; {@code data.updated_at} lets a CRM
 * drop a profile update older than one it already applied. {@code ciamschema} versions the data's shape.
 */
public final class EventEnvelope {

    public static final String SCHEMA_VERSION = "1";
    /**
     * A representation longer than this (a partial import, a large realm) is left out and its length said instead:
     * receivers and the outbox row have their limits, and the admin action must not fail on the export.
     */
    public static final int MAX_REPRESENTATION_CHARS = 256 * 1024;
    static final String TYPE_PREFIX = "org.ciampack.keycloak.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventEnvelope() {
    }

    /** A user event (LOGIN, LOGIN_ERROR, REGISTER, UPDATE_PROFILE, ...): type {@code ...user.<TYPE>}. */
    public static ObjectNode of(Event event) {
        ObjectNode envelope = head(event.getId(), event.getRealmName(), event.getTime(),
                TYPE_PREFIX + "user." + event.getType().name(), event.getUserId());
        ObjectNode data = envelope.putObject("data");
        data.put("kind", "user");
        data.put("type", event.getType().name());
        realm(data, event.getRealmId(), event.getRealmName());
        data.put("userId", event.getUserId());
        data.put("clientId", event.getClientId());
        data.put("sessionId", event.getSessionId());
        data.put("ipAddress", event.getIpAddress());
        data.put("error", event.getError());
        details(data, event.getDetails());
        data.put("updated_at", Instant.ofEpochMilli(event.getTime()).toString());
        return envelope;
    }

    /**
     * An admin event: type {@code ...admin.<RESOURCE>.<OPERATION>}, e.g. {@code ...admin.USER.UPDATE}. The
     * representation (the changed object as JSON) only when {@code withRepresentation}: it may hold personal data.
     */
    public static ObjectNode of(AdminEvent event, boolean withRepresentation) {
        String resource = event.getResourceTypeAsString() != null ? event.getResourceTypeAsString() : "UNKNOWN";
        ObjectNode envelope = head(event.getId(), event.getRealmName(), event.getTime(),
                TYPE_PREFIX + "admin." + resource + "." + event.getOperationType().name(), event.getResourcePath());
        ObjectNode data = envelope.putObject("data");
        data.put("kind", "admin");
        data.put("type", resource + "." + event.getOperationType().name());
        realm(data, event.getRealmId(), event.getRealmName());
        data.put("operation", event.getOperationType().name());
        data.put("resourceType", resource);
        data.put("resourcePath", event.getResourcePath());
        data.put("error", event.getError());
        AuthDetails auth = event.getAuthDetails();
        if (auth != null) {
            ObjectNode by = data.putObject("auth");
            by.put("realmId", auth.getRealmId());
            by.put("realmName", auth.getRealmName());
            by.put("clientId", auth.getClientId());
            by.put("userId", auth.getUserId());
            by.put("ipAddress", auth.getIpAddress());
        }
        String representation = withRepresentation ? event.getRepresentation() : null;
        if (representation != null && representation.length() > MAX_REPRESENTATION_CHARS) {
            data.put("representationOmitted", "longer than " + MAX_REPRESENTATION_CHARS + " characters ("
                    + representation.length() + ")");
        } else if (representation != null) {
            data.set("representation", parsedOrText(representation));
        }
        details(data, event.getDetails());
        data.put("updated_at", Instant.ofEpochMilli(event.getTime()).toString());
        return envelope;
    }

    private static ObjectNode head(String id, String realmName, long time, String type, String subject) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("specversion", "1.0");
        envelope.put("id", id != null ? id : UUID.randomUUID().toString());
        envelope.put("source", "/realms/" + (realmName != null ? realmName : "unknown"));
        envelope.put("type", type);
        envelope.put("time", Instant.ofEpochMilli(time).toString());
        if (subject != null) {
            envelope.put("subject", subject);
        }
        envelope.put("datacontenttype", "application/json");
        envelope.put("ciamschema", SCHEMA_VERSION);
        return envelope;
    }

    private static void realm(ObjectNode data, String id, String name) {
        data.put("realmId", id);
        data.put("realmName", name);
    }

    private static void details(ObjectNode data, Map<String, String> details) {
        ObjectNode node = data.putObject("details");
        if (details != null) {
            details.forEach(node::put);
        }
    }

    /** Keycloak hands the representation over as JSON text; anything else is kept as text rather than lost. */
    private static JsonNode parsedOrText(String representation) {
        try {
            return JSON.readTree(representation);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(representation);
        }
    }
}
