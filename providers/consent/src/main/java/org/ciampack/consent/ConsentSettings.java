package org.ciampack.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ciampack.common.ParsedOnce;
import org.jboss.logging.Logger;

/**
 * A realm's ledger policy (realm attribute {@value #ATTRIBUTE}): how much of the IP address a receipt keeps, what
 * happens to a deleted user's receipts (pseudonymous proof by default, or removal), the vault secret that keys the
 * pseudonyms, and how many decisions a user may take per minute through the self-service API.
 */
public record ConsentSettings(IpPolicy ipAddress, OnUserRemoved onUserRemoved, String pseudonymKey,
        int decisionsPerMinute) {

    public static final String ATTRIBUTE = "ciam.consent.settings";
    public static final String DEFAULT_PSEUDONYM_KEY = "${vault.consent-pseudonym-key}";
    public static final int DEFAULT_DECISIONS_PER_MINUTE = 20;
    public static final int MAX_DECISIONS_PER_MINUTE = 1000;
    public static final ConsentSettings DEFAULTS = new ConsentSettings(IpPolicy.TRUNCATED, OnUserRemoved.PSEUDONYMIZE,
            DEFAULT_PSEUDONYM_KEY, DEFAULT_DECISIONS_PER_MINUTE);
    /**
     * Only a vault key meant for the ledger ({@code consent-...}): the pseudonym of any text can be asked for (an
     * auditor's look-up), so a key that named another of the realm's secrets (the SMTP password, an identity
     * provider's client secret) would hand out keyed hashes of it for offline guessing.
     */
    private static final Pattern VAULT_REFERENCE = Pattern.compile("\\$\\{vault\\.consent-[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}}");
    private static final List<String> KNOWN = List.of("ipAddress", "onUserRemoved", "pseudonymKey", "decisionsPerMinute");

    private static final Logger LOG = Logger.getLogger(ConsentSettings.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Read at every registration and consent decision; parsed once per text. */
    private static final ParsedOnce<String, ConsentSettings> PARSED = new ParsedOnce<>(ConsentSettings::fromJson);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** {@code truncated}: IPv4 to its /24, IPv6 to its /48. */
    public enum IpPolicy {
        FULL, TRUNCATED, NONE
    }

    public enum OnUserRemoved {
        PSEUDONYMIZE, DELETE
    }

    public static ConsentSettings read(String attribute) {
        return PARSED.of(attribute);
    }

    private static ConsentSettings fromJson(String attribute) {
        if (attribute == null || attribute.isBlank()) {
            return DEFAULTS;
        }
        try {
            JsonNode node = JSON.readTree(attribute);
            String key = node.path("pseudonymKey").asText(DEFAULTS.pseudonymKey);
            if (!VAULT_REFERENCE.matcher(key).matches()) {
                // The value itself is not logged: it may be a secret written in clear.
                LOG.warnf("The consent settings' pseudonymKey is not a vault key starting with 'consent-': %s is used "
                        + "instead; put the secret under such a key", DEFAULTS.pseudonymKey);
            }
            int rate = node.path("decisionsPerMinute").asInt(DEFAULTS.decisionsPerMinute);
            return new ConsentSettings(
                    parse(IpPolicy.class, node.path("ipAddress").asText(null)).orElse(DEFAULTS.ipAddress),
                    parse(OnUserRemoved.class, node.path("onUserRemoved").asText(null)).orElse(DEFAULTS.onUserRemoved),
                    VAULT_REFERENCE.matcher(key).matches() ? key : DEFAULTS.pseudonymKey,
                    rate >= 1 && rate <= MAX_DECISIONS_PER_MINUTE ? rate : DEFAULTS.decisionsPerMinute);
        } catch (Exception e) {
            return DEFAULTS;
        }
    }

    /** Settings from an admin's JSON over these ones; problems named one per sentence. */
    public Optional<ConsentSettings> change(JsonNode node, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add("send a JSON object, e.g. {\"ipAddress\": \"truncated\", \"onUserRemoved\": \"pseudonymize\"}");
            return Optional.empty();
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!KNOWN.contains(field)) {
                problems.add("unknown setting; known: " + String.join(", ", KNOWN));
            }
        });
        IpPolicy ip = ipAddress;
        if (node.has("ipAddress")) {
            ip = parse(IpPolicy.class, node.path("ipAddress").asText()).orElse(null);
            if (ip == null) {
                problems.add("ipAddress must be 'full', 'truncated' or 'none'");
            }
        }
        OnUserRemoved removed = onUserRemoved;
        if (node.has("onUserRemoved")) {
            removed = parse(OnUserRemoved.class, node.path("onUserRemoved").asText()).orElse(null);
            if (removed == null) {
                problems.add("onUserRemoved must be 'pseudonymize' or 'delete'");
            }
        }
        String key = pseudonymKey;
        if (node.has("pseudonymKey")) {
            key = node.path("pseudonymKey").asText();
            if (!VAULT_REFERENCE.matcher(key).matches()) {
                // a realm attribute is no place for a secret: only the name of one in the vault
                problems.add("pseudonymKey must name a vault secret whose key starts with 'consent-', e.g. "
                        + DEFAULT_PSEUDONYM_KEY);
            }
        }
        int rate = decisionsPerMinute;
        if (node.has("decisionsPerMinute")) {
            rate = node.path("decisionsPerMinute").canConvertToInt() && node.path("decisionsPerMinute").isIntegralNumber()
                    ? node.path("decisionsPerMinute").asInt() : 0;
            if (rate < 1 || rate > MAX_DECISIONS_PER_MINUTE) {
                problems.add("decisionsPerMinute must be a whole number from 1 to " + MAX_DECISIONS_PER_MINUTE);
            }
        }
        return problems.isEmpty() ? Optional.of(new ConsentSettings(ip, removed, key, rate)) : Optional.empty();
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("ipAddress", ipAddress.name().toLowerCase(Locale.ROOT));
        node.put("onUserRemoved", onUserRemoved.name().toLowerCase(Locale.ROOT));
        node.put("pseudonymKey", pseudonymKey);
        node.put("decisionsPerMinute", decisionsPerMinute);
        return node;
    }

    /** The address as a receipt keeps it; anything that is not an IP address is not kept. */
    public String keep(String address) {
        if (address == null || ipAddress == IpPolicy.NONE) {
            return null;
        }
        String text = address.strip();
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && (text.indexOf(':') < 0 || !text.matches("[0-9A-Fa-f:.]{2,45}"))) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            if (ipAddress == IpPolicy.TRUNCATED) {
                int keep = bytes.length == 4 ? 3 : 6;
                for (int i = keep; i < bytes.length; i++) {
                    bytes[i] = 0;
                }
            }
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (Exception e) {
            return null;
        }
    }

    private static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
