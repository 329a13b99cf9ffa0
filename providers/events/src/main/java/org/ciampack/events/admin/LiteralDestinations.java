package org.ciampack.events.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ciampack.common.AddressPolicy;
import org.ciampack.common.DestinationRefusedException;
import org.ciampack.events.route.RouteSecrets;

/**
 * An early answer at save time for a destination written as an address ({@code http://127.0.0.1:9000/},
 * {@code "host": "169.254.169.254"}, {@code localhost}) that the address policy refuses. Host names are not looked up
 * here: what they resolve to is checked when a connection is made, every time.
 */
final class LiteralDestinations {

    private LiteralDestinations() {
    }

    static void check(JsonNode settings, AddressPolicy policy, List<String> problems) {
        String url = settings.path("url").asText("");
        if (!url.isBlank() && RouteSecrets.vaultKey(url) == null) {
            try {
                refusal(URI.create(url.strip()).getHost(), policy)
                        .ifPresent(reason -> problems.add("settings.url: " + reason));
            } catch (IllegalArgumentException malformed) {
                // the sink's own validation names what is wrong with the URL
            }
        }
        String host = settings.path("host").asText("");
        if (!host.isBlank() && RouteSecrets.vaultKey(host) == null) {
            refusal(host.strip(), policy).ifPresent(reason -> problems.add("settings.host: " + reason));
        }
    }

    private static Optional<String> refusal(String host, AddressPolicy policy) {
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = bare.matches("[0-9.]+") || bare.contains(":")
                || bare.toLowerCase(Locale.ROOT).equals("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost");
        if (!literal) {
            return Optional.empty();
        }
        try {
            policy.permitted(bare); // as at connect time: refused when none of its addresses may be reached
            return Optional.empty();
        } catch (DestinationRefusedException e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
