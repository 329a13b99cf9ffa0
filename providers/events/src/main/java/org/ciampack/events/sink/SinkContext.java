package org.ciampack.events.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.ciampack.common.AddressPolicy;

/**
 * What a sink gets to open: its route's settings, a resolver for secrets ({@code ${vault.name}} expressions are
 * read from Keycloak's vault; anything else is taken as written), the TLS context that trusts what Keycloak's
 * truststore trusts, and the address policy every connection it opens must pass (checked on the resolved address).
 */
public record SinkContext(String realmName, String routeName, ObjectNode settings, UnaryOperator<String> secrets,
                          SSLContext tls, String hostname, AddressPolicy destinations) {

    /** Whether a setting is a vault expression ({@code ${vault.name}}) rather than the value itself. */
    public static boolean isVaultExpression(String value) {
        return value != null && value.startsWith("${vault.") && value.endsWith("}");
    }

    public String text(String field, String fallback) {
        return settings.hasNonNull(field) ? settings.get(field).asText() : fallback;
    }

    public int integer(String field, int fallback) {
        return settings.hasNonNull(field) ? settings.get(field).asInt(fallback) : fallback; // numbers or numeric text
    }

    /**
     * A time limit in milliseconds, within the bounds every route's limits must keep ({@link SinkTimeouts}): a route
     * written into the realm's attributes directly is not validated, and an unbounded wait would hold a sending
     * thread, or an admin's test request, for as long as a receiver cares to stay silent.
     */
    public int millis(String field, int fallback, int max) {
        return Math.max(SinkTimeouts.MIN_MILLIS, Math.min(max, integer(field, fallback)));
    }

    /** A setting that may be a vault expression, resolved now; {@code null} when absent or not in the vault. */
    public String secret(String field) {
        String expression = text(field, null);
        return expression == null ? null : secrets.apply(expression);
    }
}
