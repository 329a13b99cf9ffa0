package org.ciampack.events.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a route does with personal data before it leaves: keep, drop, or replace by a keyed hash (HMAC-SHA256, so
 * the receiver can still correlate one person's events but cannot reverse or brute-force them without the key).
 * E-mail addresses, usernames and IP addresses are found by field name anywhere in the event (details, the admin
 * representation, the enriched profile); and when e-mail is not kept, any other text that is an e-mail address
 * (a username typed as an e-mail) gets the same treatment. Chosen detail fields can be dropped or hashed too.
 */
public record PiiPolicy(Mode email, Mode username, Mode ipAddress, Map<String, Mode> details) {

    public enum Mode {
        KEEP, HASH, DROP;

        static Mode parse(String value) {
            return value == null ? null : switch (value.toLowerCase(Locale.ROOT)) {
                case "keep" -> KEEP;
                case "hash" -> HASH;
                case "drop" -> DROP;
                default -> null;
            };
        }
    }

    public static final PiiPolicy KEEP_ALL = new PiiPolicy(Mode.KEEP, Mode.KEEP, Mode.KEEP, Map.of());

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final List<String> EMAIL_FIELDS = List.of("email", "previous_email", "updated_email", "emailAddress");
    private static final List<String> USERNAME_FIELDS = List.of("username", "preferred_username", "userName");
    private static final List<String> IP_FIELDS = List.of("ipAddress", "ip_address");

    public boolean hashes() {
        return email == Mode.HASH || username == Mode.HASH || ipAddress == Mode.HASH
                || details.containsValue(Mode.HASH);
    }

    public boolean keepsAll() {
        return email == Mode.KEEP && username == Mode.KEEP && ipAddress == Mode.KEEP && details.isEmpty();
    }

    /** Applies the policy to the envelope's data in place; {@code hashKey} is needed when something is hashed. */
    public void apply(ObjectNode envelope, byte[] hashKey) {
        if (keepsAll()) {
            return;
        }
        JsonNode data = envelope.get("data");
        if (data instanceof ObjectNode object) {
            if (object.get("details") instanceof ObjectNode eventDetails) {
                details.forEach((name, mode) -> treatField(eventDetails, name, mode, hashKey, false));
            }
            walk(object, hashKey);
        }
        if (envelope.has("subject") && EMAIL.matcher(envelope.get("subject").asText()).matches()) {
            treatField(envelope, "subject", email, hashKey, true);
        }
    }

    private void walk(JsonNode node, byte[] hashKey) {
        if (node instanceof ObjectNode object) {
            Iterator<String> names = object.fieldNames();
            List<String> fields = new java.util.ArrayList<>();
            names.forEachRemaining(fields::add);
            for (String field : fields) {
                Mode mode = modeOf(field);
                JsonNode value = object.get(field);
                if (mode != null) {
                    treatField(object, field, mode, hashKey, EMAIL_FIELDS.contains(field));
                } else if (value.isTextual()) {
                    if (email != Mode.KEEP && EMAIL.matcher(value.asText()).matches()) {
                        treatField(object, field, email, hashKey, true);
                    }
                } else {
                    walk(value, hashKey);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual() && email != Mode.KEEP && EMAIL.matcher(value.asText()).matches()) {
                    array.set(i, email == Mode.DROP ? JsonNodeFactory.instance.nullNode()
                            : JsonNodeFactory.instance.textNode(hash(hashKey, value.asText(), true)));
                } else {
                    walk(value, hashKey);
                }
            }
        }
    }

    private Mode modeOf(String field) {
        if (EMAIL_FIELDS.contains(field)) {
            return email == Mode.KEEP ? null : email;
        }
        if (USERNAME_FIELDS.contains(field)) {
            return username == Mode.KEEP ? null : username;
        }
        if (IP_FIELDS.contains(field)) {
            return ipAddress == Mode.KEEP ? null : ipAddress;
        }
        return null;
    }

    private static void treatField(ObjectNode object, String field, Mode mode, byte[] hashKey, boolean isEmail) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull() || mode == Mode.KEEP) {
            return;
        }
        if (mode == Mode.DROP) {
            object.remove(field);
        } else if (value.isArray()) {
            ArrayNode hashed = object.putArray(field);
            value.forEach(item -> hashed.add(hash(hashKey, item.asText(), isEmail)));
        } else {
            object.put(field, hash(hashKey, value.asText(), isEmail));
        }
    }

    /**
     * The keyed hash of a value, hex. E-mail addresses are lower-cased first, so one person's address hashes the
     * same however they typed it.
     */
    public static String hash(byte[] key, String value, boolean isEmail) {
        if (key == null) {
            throw new IllegalStateException("a route that hashes personal data needs pii.hashKey");
        }
        String normal = isEmail ? value.strip().toLowerCase(Locale.ROOT) : value;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(normal.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    static PiiPolicy parse(JsonNode node, List<String> problems) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return KEEP_ALL;
        }
        if (!node.isObject()) {
            problems.add("pii must be an object like {\"email\": \"hash\", \"ipAddress\": \"drop\"}");
            return KEEP_ALL;
        }
        Mode email = mode(node, "email", problems);
        Mode username = mode(node, "username", problems);
        Mode ip = mode(node, "ipAddress", problems);
        Map<String, Mode> details = new LinkedHashMap<>();
        JsonNode chosen = node.path("details");
        if (!chosen.isMissingNode()) {
            if (!chosen.isObject()) {
                problems.add("pii.details must be an object of detail name to keep/hash/drop");
            } else {
                chosen.fields().forEachRemaining(field -> {
                    Mode mode = Mode.parse(field.getValue().asText());
                    if (mode == null) {
                        problems.add("pii.details." + field.getKey() + " must be keep, hash or drop");
                    } else if (mode != Mode.KEEP) {
                        details.put(field.getKey(), mode);
                    }
                });
            }
        }
        return new PiiPolicy(email, username, ip, Map.copyOf(details));
    }

    private static Mode mode(JsonNode node, String field, List<String> problems) {
        if (!node.has(field)) {
            return Mode.KEEP;
        }
        Mode mode = Mode.parse(node.get(field).asText());
        if (mode == null) {
            problems.add("pii." + field + " must be keep, hash or drop");
            return Mode.KEEP;
        }
        return mode;
    }
}
