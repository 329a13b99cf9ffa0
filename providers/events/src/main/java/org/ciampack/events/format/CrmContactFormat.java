package org.ciampack.events.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A CRM contact upsert or delete from a profile event: the user's profile (enriched by the listener when the event
 * happened) mapped to the CRM's field names. The mapping is route configuration, {@code profile path -> CRM field}:
 * {@code email}, {@code username}, {@code firstName}, {@code lastName}, {@code emailVerified}, {@code roles},
 * {@code groups}, {@code organizations}, or {@code attributes.<name>}. Events without a user profile are skipped.
 */
final class CrmContactFormat {

    private static final ObjectNode DEFAULT_MAPPING = JsonNodeFactory.instance.objectNode().put("email", "email")
            .put("firstName", "first_name").put("lastName", "last_name").put("username", "username")
            .put("emailVerified", "email_verified");

    private final JsonNode mapping;

    CrmContactFormat(JsonNode mapping) {
        this.mapping = mapping != null && mapping.isObject() && mapping.size() > 0 ? mapping : DEFAULT_MAPPING;
    }

    JsonNode of(ObjectNode envelope) {
        JsonNode data = envelope.path("data");
        boolean admin = "admin".equals(data.path("kind").asText());
        JsonNode profile = admin ? data.path("targetUser") : data.path("user");
        String userId = admin ? profile.path("id").asText(null) : data.path("userId").asText(null);
        if (userId == null) {
            return null;
        }
        String type = data.path("type").asText();
        boolean delete = "DELETE_ACCOUNT".equals(type) || (admin && "DELETE".equals(data.path("operation").asText())
                && "USER".equals(data.path("resourceType").asText()));
        if (!delete && (profile.isMissingNode() || profile.isNull())) {
            return null;
        }
        ObjectNode contact = JsonNodeFactory.instance.objectNode();
        contact.put("id", envelope.path("id").asText());
        contact.put("operation", delete ? "delete" : "upsert");
        contact.put("source", envelope.path("source").asText());
        contact.put("event_type", type);
        contact.put("updated_at", data.path("updated_at").asText());
        ObjectNode fields = contact.putObject("contact");
        fields.put("external_id", userId);
        if (!delete) {
            Iterator<Map.Entry<String, JsonNode>> entries = mapping.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                JsonNode value = value(profile, entry.getKey());
                if (value != null) {
                    fields.set(entry.getValue().asText(), value);
                }
            }
        }
        return contact;
    }

    private static JsonNode value(JsonNode profile, String path) {
        JsonNode value;
        if (path.startsWith("attributes.")) {
            value = profile.path("attributes").path(path.substring("attributes.".length()));
            if (value.isArray()) {
                value = value.size() == 1 ? value.get(0) : value;
            }
        } else {
            value = profile.path(path);
        }
        return value.isMissingNode() ? null : value;
    }
}
