package org.ciampack.it.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Predicate;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;

/** The export's admin API as tests use it: routes of the demo realm, their backlog and dead events. */
public final class ExportRoutes {

    /** The export's admin API, ending in a slash. */
    private final URI api;
    private final AdminApi admin;

    public ExportRoutes(ServerUnderTest server, AdminApi admin) {
        this(server, admin, "acme");
    }

    /** The routes of another realm, e.g. master's. */
    public ExportRoutes(ServerUnderTest server, AdminApi admin, String realm) {
        this(URI.create(server.adminRealmUrl(realm) + "/ciam-export/"), admin);
    }

    private ExportRoutes(URI api, AdminApi admin) {
        this.api = api;
        this.admin = admin;
    }

    /** The routes of a release before 2026-12-06, whose admin APIs were below {@code /realms/<realm>/}. */
    public static ExportRoutes ofReleaseBeforeTheAdminApiMoved(ServerUnderTest server, AdminApi admin) {
        return new ExportRoutes(URI.create(server.realmUrl("acme") + "/ciam-export/"), admin);
    }

    public URI url(String path) {
        return api.resolve(path);
    }

    public HttpResponse<String> put(String name, JsonNode definition) {
        return admin.sendAsAdmin("PUT", url("routes/" + name), definition);
    }

    public void create(String name, JsonNode definition) {
        HttpResponse<String> response = put(name, definition);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new AssertionError("route " + name + " not saved: " + response.statusCode() + " " + response.body());
        }
    }

    public void remove(String name) {
        admin.sendAsAdmin("DELETE", url("routes/" + name), null);
    }

    public JsonNode post(String path) {
        HttpResponse<String> response = admin.sendAsAdmin("POST", url(path), null);
        if (response.statusCode() != 200) {
            throw new AssertionError("POST " + path + ": " + response.statusCode() + " " + response.body());
        }
        return Http.json(response.body());
    }

    public JsonNode get(String path) {
        HttpResponse<String> response = admin.sendAsAdmin("GET", url(path), null);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return Http.json(response.body());
    }

    public JsonNode backlogOf(String route) {
        for (JsonNode entry : get("backlog").path("routes")) {
            if (entry.path("route").asText().equals(route)) {
                return entry;
            }
        }
        throw new AssertionError("route " + route + " not in the backlog");
    }

    /**
     * Waits until nothing is left to deliver on the route (nothing pending, nothing not yet routed), for as long as
     * the route keeps delivering: a slow machine makes events late, and only a route that stops moving for
     * {@code stall} fails here. Returns the route's last backlog entry (its {@code dead} count tells what was lost).
     */
    public JsonNode awaitDrained(String route, Duration stall) {
        long least = Long.MAX_VALUE;
        Instant progress = Instant.now();
        while (true) {
            JsonNode backlog = get("backlog");
            JsonNode entry = backlogOf(route);
            long left = entry.path("pending").asLong() + backlog.path("notYetRouted").asLong();
            if (left == 0) {
                return entry;
            }
            if (left < least) {
                least = left;
                progress = Instant.now();
            } else if (Duration.between(progress, Instant.now()).compareTo(stall) > 0) {
                throw new AssertionError("the route stopped delivering for " + stall.toSeconds() + " s with " + left
                        + " events left: late, not yet lost; backlog: " + entry);
            }
            Pause.millis(500);
        }
    }

    /** Waits until the route's backlog entry satisfies {@code condition}. */
    public JsonNode awaitBacklog(String route, Predicate<JsonNode> condition, Duration timeout, String what) {
        Instant until = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(until)) {
            last = backlogOf(route);
            if (condition.test(last)) {
                return last;
            }
            Pause.millis(250);
        }
        throw new AssertionError(what + " not reached within " + timeout.toSeconds() + " s; backlog: " + last);
    }

    /** A new Standard Webhooks secret, written to the suite's vault as {@code acme_<key>}; returns the secret. */
    public static String vaultSecret(String key) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(bytes);
        vault(key, secret);
        return secret;
    }

    public static void vault(String key, String value) {
        try {
            Files.writeString(LocalKeycloak.vault().resolve("acme_" + key), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A webhook route taking the realm's LOGIN events, signed with a new secret put in the vault for it. */
    public static ObjectNode loginWebhookRoute(URI url) {
        String secretKey = "export-it-" + UUID.randomUUID().toString().substring(0, 8);
        vaultSecret(secretKey);
        ObjectNode route = webhookRoute(url, secretKey);
        route.putObject("events").putArray("user").add("LOGIN");
        return route;
    }

    public static ObjectNode webhookRoute(URI url, String secretKey) {
        ObjectNode route = Http.JSON.createObjectNode();
        route.put("sink", "webhook");
        ObjectNode settings = route.putObject("settings");
        settings.put("url", url.toString());
        settings.put("secret", "${vault." + secretKey + "}");
        settings.put("connectTimeoutMs", 1000);
        settings.put("readTimeoutMs", 2000);
        ObjectNode retry = route.putObject("retry");
        retry.put("maxAttempts", 50);
        retry.put("initialDelaySeconds", 1);
        retry.put("maxDelaySeconds", 2);
        return route;
    }
}
