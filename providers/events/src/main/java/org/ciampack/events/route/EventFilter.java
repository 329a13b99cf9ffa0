package org.ciampack.events.route;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.ciampack.events.outbox.OutboxRecord;

/**
 * Which events a route takes: user event types ({@code LOGIN}, {@code LOGIN_ERROR}, or {@code *}), admin events as
 * {@code RESOURCE.OPERATION} with {@code *} for either part ({@code USER.*}, {@code *.DELETE}), and optionally only
 * those of some clients. An empty list takes nothing of that kind.
 */
public record EventFilter(Set<String> userTypes, Set<String> adminTypes, Set<String> clients) {

    public static final EventFilter EVERYTHING = new EventFilter(Set.of("*"), Set.of("*"), Set.of());

    public boolean accepts(OutboxRecord event) {
        return accepts(event.kind(), event.eventType(), event.clientId());
    }

    /** {@code kind}: {@link OutboxRecord#USER} or {@link OutboxRecord#ADMIN}. */
    public boolean accepts(String kind, String eventType, String clientId) {
        if (OutboxRecord.ADMIN.equals(kind)) {
            return adminTypes.stream().anyMatch(pattern -> adminMatches(pattern, eventType));
        }
        return (userTypes.contains("*") || userTypes.contains(eventType))
                && (clients.isEmpty() || (clientId != null && clients.contains(clientId)));
    }

    private static boolean adminMatches(String pattern, String type) {
        if (pattern.equals("*")) {
            return true;
        }
        int dot = pattern.indexOf('.');
        int typeDot = type.lastIndexOf('.');
        if (dot < 0 || typeDot < 0) {
            return pattern.equals(type);
        }
        String resource = pattern.substring(0, dot);
        String operation = pattern.substring(dot + 1);
        return (resource.equals("*") || resource.equals(type.substring(0, typeDot)))
                && (operation.equals("*") || operation.equals(type.substring(typeDot + 1)));
    }

    static EventFilter parse(JsonNode node, EventFilter defaults, List<String> problems) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return defaults;
        }
        if (!node.isObject()) {
            problems.add("events must be an object like {\"user\": [\"LOGIN\"], \"admin\": [\"USER.*\"]}");
            return defaults;
        }
        // a kind the object leaves out is not taken: {"user": ["LOGIN"]} means logins only, no admin events
        Set<String> user = node.has("user") ? names(node.get("user"), "events.user", problems) : Set.of();
        Set<String> admin = node.has("admin") ? names(node.get("admin"), "events.admin", problems) : Set.of();
        Set<String> clients = node.has("clients") ? names(node.get("clients"), "events.clients", problems) : Set.of();
        for (String type : user) {
            if (!type.equals("*") && !type.matches("[A-Z][A-Z0-9_]{0,63}")) {
                problems.add("events.user: '" + type + "' is not an event type (e.g. LOGIN, LOGIN_ERROR, or *)");
            }
        }
        for (String type : admin) {
            if (!type.equals("*") && !type.matches("(\\*|[A-Z][A-Z_]{0,63})\\.(\\*|[A-Z]{1,16})")) {
                problems.add("events.admin: '" + type + "' is not RESOURCE.OPERATION (e.g. USER.UPDATE, USER.*, *)");
            }
        }
        return new EventFilter(user, admin, clients);
    }

    private static Set<String> names(JsonNode node, String field, List<String> problems) {
        Set<String> names = new TreeSet<>();
        if (!node.isArray()) {
            problems.add(field + " must be a list of names");
            return names;
        }
        for (JsonNode name : node) {
            if (!name.isTextual() || name.asText().isBlank()) {
                problems.add(field + " must be a list of names");
            } else {
                names.add(name.asText().strip().toUpperCase(Locale.ROOT).equals("*") ? "*" : name.asText().strip());
            }
        }
        return names;
    }
}
