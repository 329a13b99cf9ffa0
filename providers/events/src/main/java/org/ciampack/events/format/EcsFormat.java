package org.ciampack.events.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;

/**
 * An event in Elastic Common Schema (ECS 8) fields, as Elastic's SIEM rules and dashboards expect them:
 * {@code @timestamp}, {@code event.*} (kind, category, type, action, outcome), {@code user.*}, {@code source.ip},
 * and the rest under {@code keycloak.*}.
 */
final class EcsFormat {

    static final String ECS_VERSION = "8.11.0";
    private static final Set<String> SESSION_START = Set.of("LOGIN", "CODE_TO_TOKEN", "REFRESH_TOKEN",
            "CLIENT_LOGIN", "IDENTITY_PROVIDER_LOGIN");
    private static final Set<String> SESSION_END = Set.of("LOGOUT");

    private EcsFormat() {
    }

    static JsonNode of(ObjectNode envelope) {
        JsonNode data = envelope.path("data");
        boolean admin = "admin".equals(data.path("kind").asText());
        String type = data.path("type").asText();
        String base = type.endsWith("_ERROR") ? type.substring(0, type.length() - "_ERROR".length()) : type;
        boolean failed = data.hasNonNull("error");

        ObjectNode ecs = JsonNodeFactory.instance.objectNode();
        ecs.put("@timestamp", envelope.path("time").asText());
        ecs.putObject("ecs").put("version", ECS_VERSION);
        ObjectNode event = ecs.putObject("event");
        event.put("id", envelope.path("id").asText());
        event.put("kind", "event");
        event.put("provider", "keycloak");
        event.put("dataset", admin ? "keycloak.admin" : "keycloak.user");
        event.put("action", type.toLowerCase(Locale.ROOT).replace('_', '-'));
        event.put("outcome", failed ? "failure" : "success");
        if (admin) {
            event.putArray("category").add("iam");
            event.putArray("type").add(switch (data.path("operation").asText()) {
                case "CREATE" -> "creation";
                case "DELETE" -> "deletion";
                default -> "change";
            });
        } else if (SESSION_START.contains(base) || SESSION_END.contains(base) || base.startsWith("LOGIN")) {
            event.putArray("category").add("authentication").add("session");
            event.putArray("type").add(SESSION_END.contains(base) ? "end" : "start");
        } else {
            event.putArray("category").add("iam");
            event.putArray("type").add(switch (base) {
                case "REGISTER" -> "creation";
                case "DELETE_ACCOUNT" -> "deletion";
                default -> "change";
            });
        }
        if (failed) {
            ecs.putObject("error").put("message", data.path("error").asText());
        }

        ObjectNode user = ecs.putObject("user");
        JsonNode profile = data.path("user");
        if (admin) {
            copy(data.path("auth"), "userId", user, "id");
            child(data.path("targetUser"), "id", user, "target", "id");
            child(data.path("auth"), "ipAddress", ecs, "source", "ip");
        } else {
            copy(data, "userId", user, "id");
            copy(profile.isMissingNode() ? data.path("details") : profile, "username", user, "name");
            if (!user.has("name")) {
                copy(data.path("details"), "username", user, "name");
            }
            copy(profile, "email", user, "email");
            child(data, "ipAddress", ecs, "source", "ip");
            child(data, "sessionId", ecs, "session", "id");
        }
        ObjectNode keycloak = ecs.putObject("keycloak");
        keycloak.put("realm", data.path("realmName").asText());
        copy(data, "clientId", keycloak, "client_id");
        copy(data, "resourcePath", keycloak, "resource_path");
        if (data.has("details")) {
            keycloak.set("details", data.get("details"));
        }
        if (data.has("representation")) {
            keycloak.set("representation", data.get("representation"));
        }
        return ecs;
    }

    /** Copies a value into the object {@code name} of {@code parent}, creating it only when there is a value. */
    static void child(JsonNode from, String field, ObjectNode parent, String name, String as) {
        JsonNode value = from.path(field);
        if (!value.isMissingNode() && !value.isNull()) {
            (parent.get(name) instanceof ObjectNode existing ? existing : parent.putObject(name)).set(as, value);
        }
    }

    static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.path(field);
        if (!value.isMissingNode() && !value.isNull()) {
            to.set(as, value);
        }
    }
}
