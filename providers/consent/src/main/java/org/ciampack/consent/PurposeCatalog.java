package org.ciampack.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.ciampack.common.ParsedOnce;

/**
 * A realm's consent purposes, kept as JSON in the realm attribute {@value #ATTRIBUTE} so they travel with realm
 * export and realm-as-code. Parsing checks every rule and names each problem in one sentence.
 */
public final class PurposeCatalog {

    public static final String ATTRIBUTE = "ciam.consent.purposes";
    public static final int MAX_PURPOSES = 50;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern MESSAGE_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");
    private static final Set<String> FIELDS = Set.of("id", "version", "required", "title", "description",
            "documentUrl", "effectiveFrom", "reconsentAfter");

    /** Every login reads the catalog; it is parsed once per text. */
    private static final ParsedOnce<String, PurposeCatalog> PARSED = new ParsedOnce<>(PurposeCatalog::fromJson);

    private final Map<String, ConsentPurpose> purposes;

    private PurposeCatalog(Map<String, ConsentPurpose> purposes) {
        this.purposes = purposes;
    }

    public static PurposeCatalog empty() {
        return new PurposeCatalog(Map.of());
    }

    public List<ConsentPurpose> all() {
        return List.copyOf(purposes.values());
    }

    public Optional<ConsentPurpose> find(String id) {
        return Optional.ofNullable(id == null ? null : purposes.get(id));
    }

    public PurposeCatalog with(ConsentPurpose purpose) {
        Map<String, ConsentPurpose> changed = new LinkedHashMap<>(purposes);
        changed.put(purpose.id(), purpose);
        return new PurposeCatalog(changed);
    }

    public PurposeCatalog without(String id) {
        Map<String, ConsentPurpose> changed = new LinkedHashMap<>(purposes);
        changed.remove(id);
        return new PurposeCatalog(changed);
    }

    /** The stored catalog; a damaged attribute reads as empty rather than breaking every login. */
    public static PurposeCatalog read(String attribute) {
        return PARSED.of(attribute);
    }

    private static PurposeCatalog fromJson(String attribute) {
        if (attribute == null || attribute.isBlank()) {
            return empty();
        }
        try {
            JsonNode node = JSON.readTree(attribute);
            List<String> problems = new ArrayList<>();
            Map<String, ConsentPurpose> purposes = new LinkedHashMap<>();
            for (JsonNode entry : node) {
                parse(entry, problems).ifPresent(purpose -> purposes.put(purpose.id(), purpose));
            }
            return new PurposeCatalog(purposes);
        } catch (Exception e) {
            return empty();
        }
    }

    public String write() {
        ArrayNode array = JSON.createArrayNode();
        purposes.values().forEach(purpose -> array.add(toJson(purpose)));
        return array.toString();
    }

    public static ObjectNode toJson(ConsentPurpose purpose) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", purpose.id());
        node.put("version", purpose.version());
        node.put("required", purpose.required());
        node.put("title", purpose.title());
        node.put("description", purpose.description());
        if (purpose.documentUrl() != null) {
            node.put("documentUrl", purpose.documentUrl());
        }
        if (purpose.effectiveFrom() != null) {
            node.put("effectiveFrom", purpose.effectiveFrom().toString());
        }
        if (purpose.reconsentAfter() != null) {
            node.put("reconsentAfter", purpose.reconsentAfter().toString());
        }
        return node;
    }

    /** One purpose from an admin's JSON, or nothing with the problems named. */
    public static Optional<ConsentPurpose> parse(JsonNode node, List<String> problems) {
        int before = problems.size();
        if (node == null || !node.isObject()) {
            problems.add("a purpose must be a JSON object");
            return Optional.empty();
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                problems.add("unknown field '" + clip(field) + "'; known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        });
        String id = node.path("id").asText(null);
        if (id == null || !ID.matcher(id).matches()) {
            problems.add("id must be 1 to 64 lower-case letters, digits or '_', starting with a letter");
        }
        JsonNode version = node.path("version");
        if (!version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 1) {
            problems.add("version must be a whole number from 1");
        }
        JsonNode required = node.path("required");
        if (!required.isMissingNode() && !required.isBoolean()) {
            problems.add("required must be true or false");
        }
        String title = messageKey(node, "title", problems);
        String description = messageKey(node, "description", problems);
        String documentUrl = node.path("documentUrl").isMissingNode() || node.path("documentUrl").isNull() ? null
                : node.path("documentUrl").asText();
        if (documentUrl != null && !isWebAddress(documentUrl)) {
            problems.add("documentUrl must be an absolute https:// or http:// address of at most 2048 characters");
        }
        Instant effectiveFrom = instant(node, "effectiveFrom", problems);
        Instant reconsentAfter = instant(node, "reconsentAfter", problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new ConsentPurpose(id, version.asInt(), required.asBoolean(false), title, description,
                documentUrl, effectiveFrom, reconsentAfter));
    }

    private static String messageKey(JsonNode node, String field, List<String> problems) {
        String key = node.path(field).asText(null);
        if (key == null || !MESSAGE_KEY.matcher(key).matches()) {
            problems.add(field + " must be a message key (letters, digits, '.', '_' or '-', at most 128), translated "
                    + "by the theme or the realm's localization texts");
            return null;
        }
        return key;
    }

    private static Instant instant(JsonNode node, String field, List<String> problems) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            problems.add(field + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
            return null;
        }
    }

    static boolean isWebAddress(String text) {
        if (text.length() > 2048) {
            return false;
        }
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static String clip(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
