package org.ciampack.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fits an envelope into the outbox row: the event and the request that made it must not fail on the export. What
 * is too long goes in steps, each only when the envelope is still too long: the profile snapshot beyond who the
 * user is (attributes without a length limit in the realm's user profile), then each detail value longer than
 * {@link #LARGE_DETAIL_CHARS} (the short ones, consent decisions among them, stay), then everything but what the
 * event was and whom it concerns. Each step says what it left out.
 */
final class EnvelopeLimit {

    static final int LARGE_DETAIL_CHARS = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> WHO_AND_WHAT = List.of("kind", "type", "realmId", "realmName", "userId",
            "clientId", "sessionId", "ipAddress", "error", "operation", "resourceType", "resourcePath", "auth",
            "updated_at", "user", "targetUser");

    private final int maxChars;

    EnvelopeLimit(int maxChars) {
        this.maxChars = maxChars;
    }

    /** The envelope as JSON text of at most {@code maxChars} characters (the envelope is changed on the way). */
    String text(ObjectNode envelope) {
        String text = write(envelope);
        if (text.length() <= maxChars) {
            return text;
        }
        ObjectNode data = (ObjectNode) envelope.get("data");
        String why = "the event is longer than " + maxChars + " characters";
        for (String field : new String[] {"user", "targetUser"}) {
            if (data.get(field) instanceof ObjectNode user) {
                user.retain("id", "username", "email");
                user.put("profileOmitted", why);
            }
        }
        text = write(envelope);
        if (text.length() <= maxChars) {
            return text;
        }
        if (data.get("details") instanceof ObjectNode details) {
            List<String> large = new ArrayList<>();
            for (Map.Entry<String, JsonNode> detail : details.properties()) {
                if (detail.getValue().asText().length() > LARGE_DETAIL_CHARS) {
                    large.add(detail.getKey());
                }
            }
            large.forEach(name -> details.put(name, "(omitted: " + details.get(name).asText().length()
                    + " characters; " + why + ")"));
            text = write(envelope);
            if (text.length() <= maxChars) {
                return text;
            }
        }
        data.retain(WHO_AND_WHAT);
        data.put("omitted", why);
        return write(envelope);
    }

    private static String write(ObjectNode envelope) {
        try {
            return JSON.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
