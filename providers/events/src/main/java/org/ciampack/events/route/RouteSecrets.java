package org.ciampack.events.route;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for secrets in a route. A route's definition is a realm attribute that every realm viewer and every
 * realm export sees, so secrets must be vault expressions; and a route sends what it resolves to a destination of
 * the admin's choosing, so it may only name vault keys meant for the export ({@code export-...}), never another
 * secret the realm's vault holds.
 */
public final class RouteSecrets {

    public static final String KEY_PREFIX = "export-";
    /** Fields that hold a secret, by their object in the definition. */
    static final Map<String, List<String>> SECRET_FIELDS = Map.of(
            "settings", List.of("secret", "previousSecret", "token"),
            "pii", List.of("hashKey"));
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{vault\\.([^}]*)}");
    private static final Pattern KEY = Pattern.compile(Pattern.quote(KEY_PREFIX) + "[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private RouteSecrets() {
    }

    /** Whether a vault key may be read for a route. */
    public static boolean allowedKey(String key) {
        return key != null && KEY.matcher(key).matches() && !key.contains("..");
    }

    /** The key of a whole-value vault expression ({@code ${vault.key}}), or null when the value is not one. */
    public static String vaultKey(String value) {
        if (value == null) {
            return null;
        }
        Matcher matcher = EXPRESSION.matcher(value);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** Sentences for every secret written in clear and every vault expression outside the export's keys. */
    public static void check(JsonNode definition, List<String> problems) {
        SECRET_FIELDS.forEach((object, fields) -> {
            for (String field : fields) {
                JsonNode value = definition.path(object).get(field);
                if (value != null && !value.isNull() && !value.asText().isEmpty() && vaultKey(value.asText()) == null) {
                    problems.add(object + "." + field + " must come from the vault: put the value in the vault under a key "
                            + "starting with '" + KEY_PREFIX + "' (files vault: file <realm>_" + KEY_PREFIX + "<name>) and write "
                            + "\"${vault." + KEY_PREFIX + "<name>}\" here; secrets in clear are not stored");
                }
            }
        });
        checkExpressions(definition, "", problems);
    }

    private static void checkExpressions(JsonNode node, String path, List<String> problems) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field ->
                    checkExpressions(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkExpressions(node.get(i), path + "[" + i + "]", problems);
            }
        } else if (node.isTextual() && node.asText().contains("${vault.")) {
            String key = vaultKey(node.asText());
            if (key == null) {
                problems.add(path + ": a vault expression must be the whole value, ${vault." + KEY_PREFIX + "<name>}");
            } else if (!allowedKey(key)) {
                problems.add(path + ": routes may only read vault keys starting with '" + KEY_PREFIX
                        + "' (letters, digits, '.', '_', '-'), not '" + key + "'");
            }
        }
    }
}
