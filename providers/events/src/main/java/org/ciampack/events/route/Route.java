package org.ciampack.events.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.ciampack.events.sink.RetryPolicy;

/**
 * A route: which events of a realm go to which sink, in which format, with which personal data. Its definition is
 * plain JSON kept as a realm attribute ({@code ciam.export.route.<name>}), so it travels with realm exports and
 * realm-as-code; its run state (paused, lease) lives in the database.
 *
 * <pre>{@code
 * {"sink": "webhook", "format": "envelope", "events": {"user": ["LOGIN", "LOGIN_ERROR"], "admin": ["USER.*"]},
 *  "pii": {"email": "hash", "ipAddress": "hash", "hashKey": "${vault.export-hash-key}"},
 *  "settings": {"url": "https://siem.example.com/in", "secret": "${vault.export-siem-webhook-secret}"},
 *  "retry": {"maxAttempts": 12, "initialDelaySeconds": 5, "maxDelaySeconds": 3600, "maxAgeHours": 72}}
 * }</pre>
 */
public record Route(String name, boolean enabled, String sink, String format, EventFilter events,
                    boolean representation, Set<String> realms, PiiPolicy pii, String hashKey, ObjectNode settings,
                    RetryPolicy retry, int batchSize, int concurrency, int maxPerMinute, Duration autoPauseAfter,
                    ObjectNode definition) {

    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9-]{0,39}";
    public static final int MAX_BATCH = 500;

    /** The events a CRM cares about: the profile's life, not every login. */
    static final EventFilter CRM_EVENTS = new EventFilter(
            Set.of("REGISTER", "UPDATE_PROFILE", "UPDATE_EMAIL", "VERIFY_EMAIL", "DELETE_ACCOUNT", "GRANT_CONSENT",
                    "UPDATE_CONSENT", "REVOKE_GRANT", "CUSTOM_REQUIRED_ACTION"),
            Set.of("USER.CREATE", "USER.UPDATE", "USER.DELETE"), Set.of());

    /**
     * Reads and checks a definition; every problem found is added to {@code problems} as a sentence an admin can
     * act on, and the result is only usable when there are none.
     */
    public static Route parse(String name, JsonNode json, List<String> problems) {
        if (name == null || !name.matches(NAME_PATTERN)) {
            problems.add("a route name is 1-40 lower-case letters, digits and '-', starting with a letter or digit");
        }
        if (json == null || !json.isObject()) {
            problems.add("a route is a JSON object with at least \"sink\" and \"settings\"");
            return null;
        }
        ObjectNode definition = ((ObjectNode) json).deepCopy();
        definition.remove("name");
        definition.remove("state");
        String sink = json.path("sink").asText("");
        if (sink.isBlank()) {
            problems.add("sink is missing (webhook, crm, splunk-hec, syslog, or an operator's own)");
        }
        String format = json.path("format").asText(defaultFormat(sink));
        EventFilter events = EventFilter.parse(json.get("events"), "crm".equals(sink) ? CRM_EVENTS : EventFilter.EVERYTHING,
                problems);
        Set<String> realms = new TreeSet<>();
        json.path("realms").forEach(realm -> realms.add(realm.asText()));
        PiiPolicy pii = PiiPolicy.parse(json.get("pii"), problems);
        String hashKey = json.path("pii").path("hashKey").asText(null);
        if (pii.hashes() && (hashKey == null || hashKey.isBlank())) {
            problems.add("pii.hashKey is needed to hash personal data, e.g. \"${vault.export-hash-key}\"");
        }
        JsonNode settings = json.path("settings");
        if (!settings.isMissingNode() && !settings.isObject()) {
            problems.add("settings must be an object");
        }
        RetryPolicy retry = retry(json.path("retry"), problems);
        int batchSize = integer(json, "batchSize", 1, 1, MAX_BATCH, problems);
        int concurrency = integer(json, "concurrency", 4, 1, 32, problems);
        int maxPerMinute = integer(json, "maxPerMinute", 0, 0, 1_000_000, problems);
        int autoPause = integer(json, "autoPauseAfterSeconds", 3600, 1, 30 * 24 * 3600, problems);
        boolean enabled = json.path("enabled").asBoolean(true);
        if (!problems.isEmpty()) {
            return null;
        }
        return new Route(name, enabled, sink, format, events, json.path("representation").asBoolean(false),
                Set.copyOf(realms), pii, hashKey,
                settings.isObject() ? (ObjectNode) settings : JsonNodeFactory.instance.objectNode(), retry,
                batchSize, concurrency, maxPerMinute, Duration.ofSeconds(autoPause), definition);
    }

    public static String defaultFormat(String sink) {
        return switch (sink) {
            case "crm" -> "crm-contact";
            case "syslog" -> "cef";
            default -> "envelope";
        };
    }

    private static RetryPolicy retry(JsonNode node, List<String> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return RetryPolicy.DEFAULT;
        }
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        int attempts = integer(node, "maxAttempts", defaults.maxAttempts(), 1, 1000, problems);
        int initial = integer(node, "initialDelaySeconds", (int) defaults.initialDelay().toSeconds(), 1, 86400, problems);
        int max = integer(node, "maxDelaySeconds", (int) defaults.maxDelay().toSeconds(), 1, 7 * 86400, problems);
        int ageHours = integer(node, "maxAgeHours", (int) defaults.maxAge().toHours(), 1, 90 * 24, problems);
        if (max < initial) {
            problems.add("retry.maxDelaySeconds must not be below retry.initialDelaySeconds");
            return defaults;
        }
        return new RetryPolicy(Duration.ofSeconds(initial), Duration.ofSeconds(max), attempts, Duration.ofHours(ageHours));
    }

    private static int integer(JsonNode node, String field, int fallback, int min, int max, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            problems.add(field + " must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return value.asInt();
    }

    /** Whether the route names other realms whose events it takes ({@code "realms"}; master's routes only). */
    public boolean takesOtherRealms() {
        return !realms.isEmpty();
    }

    /** Whether a route of the realm {@code ownRealmId} takes events of {@code eventRealmId} (master may take others'). */
    public boolean coversRealm(boolean ownRealmIsMaster, String ownRealmId, String eventRealmId, String eventRealmName) {
        if (ownRealmId.equals(eventRealmId)) {
            return true;
        }
        return ownRealmIsMaster && (realms.contains("*") || realms.contains(eventRealmName));
    }
}
