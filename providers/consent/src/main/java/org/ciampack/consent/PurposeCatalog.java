package org.ciampack.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.ciampack.common.ParsedOnce;

/**
 * A realm's consent purposes, kept as JSON in the realm attribute {@value #ATTRIBUTE} so they travel with realm
 * export and realm-as-code. Parsing checks every rule and names each problem in one sentence.
 */
public final class PurposeCatalog {

    public static final String ATTRIBUTE = "ciam.consent.purposes";
    public static final int MAX_PURPOSES = 50;
    /** Versions of one purpose that may wait for their date at a time. */
    public static final int MAX_AHEAD = 3;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern MESSAGE_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");
    private static final Set<String> FIELDS = Set.of("id", "version", "required", "title", "description",
            "documentUrl", "effectiveFrom", "reconsentAfter");
    /** What the admin API adds to a purpose it answers with: accepted back, and ignored. */
    private static final Set<String> ANSWER_ONLY = Set.of("inForce", "versionInForce");

    /** Every login reads the catalog; it is parsed once per text. */
    private static final ParsedOnce<String, PurposeCatalog> PARSED = new ParsedOnce<>(PurposeCatalog::fromJson);

    /** Per purpose, its published versions in ascending order: the one in force, then any published ahead. */
    private final Map<String, List<ConsentPurpose>> versions;

    private PurposeCatalog(Map<String, List<ConsentPurpose>> versions) {
        this.versions = versions;
    }

    public static PurposeCatalog empty() {
        return new PurposeCatalog(Map.of());
    }

    public boolean isEmpty() {
        return versions.isEmpty();
    }

    /** The latest published version of each purpose, in force or not: what an admin manages. */
    public List<ConsentPurpose> all() {
        return versions.values().stream().map(published -> published.get(published.size() - 1)).toList();
    }

    /** The latest published version of a purpose, in force or not. */
    public Optional<ConsentPurpose> find(String id) {
        List<ConsentPurpose> published = id == null ? null : versions.get(id);
        return published == null ? Optional.empty() : Optional.of(published.get(published.size() - 1));
    }

    /**
     * The version of each purpose in force at {@code now}: the highest whose {@code effectiveFrom} has come. A version
     * published ahead leaves the one before it in force until its date; a purpose with no version in force yet is
     * not asked.
     */
    public List<ConsentPurpose> inForce(Instant now) {
        List<ConsentPurpose> inForce = new ArrayList<>();
        versions.values().forEach(published -> inForce(published, now).ifPresent(inForce::add));
        return inForce;
    }

    public Optional<ConsentPurpose> findInForce(String id, Instant now) {
        List<ConsentPurpose> published = id == null ? null : versions.get(id);
        return published == null ? Optional.empty() : inForce(published, now);
    }

    /** The versions of a purpose published ahead of {@code now}. */
    public List<ConsentPurpose> ahead(String id, Instant now) {
        return versions.getOrDefault(id, List.of()).stream().filter(version -> !version.inEffect(now)).toList();
    }

    private static Optional<ConsentPurpose> inForce(List<ConsentPurpose> published, Instant now) {
        ConsentPurpose inForce = null;
        for (ConsentPurpose version : published) {
            if (version.inEffect(now)) {
                inForce = version;
            }
        }
        return Optional.ofNullable(inForce);
    }

    /**
     * Publishes a version: it replaces the same version of the purpose, or is added beside the others. Versions
     * older than the one in force at {@code now} are dropped: the ledger keeps the decisions on them.
     */
    public PurposeCatalog with(ConsentPurpose purpose, Instant now) {
        Map<String, List<ConsentPurpose>> changed = new LinkedHashMap<>(versions);
        List<ConsentPurpose> published = new ArrayList<>(changed.getOrDefault(purpose.id(), List.of()));
        published.removeIf(version -> version.version() == purpose.version());
        published.add(purpose);
        published.sort(Comparator.comparingInt(ConsentPurpose::version));
        int inForce = inForce(published, now).map(ConsentPurpose::version).orElse(0);
        published.removeIf(version -> version.version() < inForce);
        changed.put(purpose.id(), List.copyOf(published));
        return new PurposeCatalog(changed);
    }

    /** The catalog less one version of a purpose; less the purpose when it was its only one. */
    public PurposeCatalog withoutVersion(String id, int version) {
        Map<String, List<ConsentPurpose>> changed = new LinkedHashMap<>(versions);
        List<ConsentPurpose> left = changed.getOrDefault(id, List.of()).stream()
                .filter(published -> published.version() != version).toList();
        if (left.isEmpty()) {
            changed.remove(id);
        } else {
            changed.put(id, left);
        }
        return new PurposeCatalog(changed);
    }

    public PurposeCatalog without(String id) {
        Map<String, List<ConsentPurpose>> changed = new LinkedHashMap<>(versions);
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
            Map<String, Map<Integer, ConsentPurpose>> byVersion = new LinkedHashMap<>();
            for (JsonNode entry : node) {
                parse(entry, problems).ifPresent(purpose -> byVersion
                        .computeIfAbsent(purpose.id(), id -> new TreeMap<>()).put(purpose.version(), purpose));
            }
            Map<String, List<ConsentPurpose>> versions = new LinkedHashMap<>();
            byVersion.forEach((id, published) -> versions.put(id, List.copyOf(published.values())));
            return new PurposeCatalog(versions);
        } catch (Exception e) {
            return empty();
        }
    }

    /** Every published version, one JSON object each (a purpose with a version ahead has two or more). */
    public String write() {
        ArrayNode array = JSON.createArrayNode();
        versions.values().forEach(published -> published.forEach(purpose -> array.add(toJson(purpose))));
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
            if (!FIELDS.contains(field) && !ANSWER_ONLY.contains(field)) {
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
