package org.ciampack.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Keycloak's admin REST API, as the master realm's admin sees it. Plain HTTP and JSON, so the tests exercise
 * exactly what an operator's tooling would.
 */
public final class AdminApi {

    /** What progressive profiling in the demo realm asks at the 2nd and 3rd login. */
    public static final Map<String, String> EXISTING_CUSTOMER_PROFILE = Map.of("phone", "+44 20 7946 0958",
            "birthdate", "1985-04-12");

    private final URI baseUrl;
    private final String username;
    private final String password;
    private String token;
    private Instant tokenExpiry = Instant.EPOCH;

    public AdminApi(URI baseUrl, String username, String password) {
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
    }

    public JsonNode get(String path) {
        HttpResponse<String> response = send("GET", path, null);
        expect(response, 200);
        return Http.json(response.body());
    }

    /** Calls Keycloak's admin API, {@code path} below {@code /admin}. */
    public HttpResponse<String> send(String method, String path, JsonNode body) {
        return sendAsAdmin(method, URI.create(baseUrl + "/admin" + path), body);
    }

    /** POSTs JSON to any URL of the server (e.g. an extension's REST resource) with the admin's bearer token. */
    public HttpResponse<String> postAsAdmin(URI uri, JsonNode body) {
        return sendAsAdmin("POST", uri, body);
    }

    /** Calls any URL of the server (e.g. an extension's REST resource) with the admin's bearer token. */
    public HttpResponse<String> sendAsAdmin(String method, URI uri, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token())
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return Http.send(request.build());
    }

    /**
     * Creates an enabled existing customer whose e-mail is the username and whose profile has what the demo
     * realm's progressive profiling asks at later logins (phone, date of birth), so their logins go straight
     * through; returns the user's id.
     */
    public String createUser(String realm, String email, String password, boolean emailVerified) {
        return createUser(realm, email, password, emailVerified, EXISTING_CUSTOMER_PROFILE);
    }

    /** Creates an enabled user with exactly these profile attributes; returns the user's id. */
    public String createUser(String realm, String email, String password, boolean emailVerified,
            Map<String, String> attributes) {
        ObjectNode user = Http.JSON.createObjectNode()
                .put("username", email)
                .put("email", email)
                .put("enabled", true)
                .put("emailVerified", emailVerified);
        ObjectNode values = user.putObject("attributes");
        attributes.forEach((name, value) -> values.putArray(name).add(value));
        user.putArray("credentials").addObject()
                .put("type", "password")
                .put("value", password)
                .put("temporary", false);
        HttpResponse<String> response = send("POST", "/realms/" + realm + "/users", user);
        expect(response, 201);
        String location = response.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        recordConsents(realm, id);
        return id;
    }

    /**
     * An existing customer has decided on the realm's consent purposes (required ones granted, optional ones
     * declined), as a migration would import them: without it their next login would first show the consent page.
     */
    public void recordConsents(String realm, String userId) {
        URI api = consentAdmin(realm);
        JsonNode purposes = Http.json(sendAsAdmin("GET", api.resolve("purposes"), null).body());
        if (purposes.isEmpty()) {
            return;
        }
        ObjectNode body = Http.JSON.createObjectNode().put("source", "import");
        ArrayNode decisions = body.putArray("decisions");
        purposes.forEach(purpose -> decisions.addObject().put("purpose", purpose.get("id").asText())
                .put("version", purpose.get("version").asInt())
                .put("decision", purpose.path("required").asBoolean() ? "granted" : "declined"));
        expect(sendAsAdmin("POST", api.resolve("users/" + userId + "/receipts"), body), 201);
    }

    /** The admin's current bearer token, for calls that are not JSON. */
    public String bearer() {
        return token();
    }

    /** Gives a user one role of a client, e.g. realm-management's view-users. */
    public void grantClientRole(String realm, String userId, String clientId, String role) {
        String id = get("/realms/" + realm + "/clients?clientId=" + Http.encode(clientId)).get(0).get("id").asText();
        JsonNode roleRepresentation = get("/realms/" + realm + "/clients/" + id + "/roles/" + Http.encode(role));
        expect(send("POST", "/realms/" + realm + "/users/" + userId + "/role-mappings/clients/" + id,
                Http.JSON.createArrayNode().add(roleRepresentation)), 204);
    }

    /** The consent module's admin API of a realm. */
    public URI consentAdmin(String realm) {
        return URI.create(baseUrl + "/admin/realms/" + realm + "/ciam-consent/");
    }

    /** The user with exactly this e-mail, or null. */
    public JsonNode findUserByEmail(String realm, String email) {
        JsonNode users = get("/realms/" + realm + "/users?exact=true&email=" + Http.encode(email));
        return users.isEmpty() ? null : users.get(0);
    }

    /** The user's stored events of one type, newest first. */
    public JsonNode events(String realm, String userId, String type) {
        return get("/realms/" + realm + "/events?user=" + Http.encode(userId) + "&type=" + Http.encode(type));
    }

    /** The configuration of the step with this provider id in the given flow (by alias). */
    public JsonNode stepConfig(String realm, String flowAlias, String providerId) {
        for (JsonNode execution : get("/realms/" + realm + "/authentication/flows/" + Http.encode(flowAlias).replace("+", "%20")
                + "/executions")) {
            if (providerId.equals(execution.path("providerId").asText())) {
                return get("/realms/" + realm + "/authentication/config/" + execution.get("authenticationConfig").asText());
            }
        }
        throw new IllegalStateException("no step " + providerId + " in flow '" + flowAlias + "' of realm " + realm);
    }

    public void updateStepConfig(String realm, JsonNode config) {
        HttpResponse<String> response = send("PUT", "/realms/" + realm + "/authentication/config/" + config.get("id").asText(), config);
        expect(response, 204);
    }

    /** Sets (replaces) the user's required actions for their next login, e.g. UPDATE_PROFILE; none clears them. */
    public void requireActions(String realm, String userId, String... actions) {
        ObjectNode update = Http.JSON.createObjectNode();
        ArrayNode list = update.putArray("requiredActions");
        for (String action : actions) {
            list.add(action);
        }
        expect(send("PUT", "/realms/" + realm + "/users/" + Http.encode(userId), update), 204);
    }

    /** Keycloak's brute-force record of a user: numFailures, disabled (locked now), lastIPFailure, lastFailure. */
    public JsonNode bruteForceStatus(String realm, String userId) {
        return get("/realms/" + realm + "/attack-detection/brute-force/users/" + Http.encode(userId));
    }

    private synchronized String token() {
        if (Instant.now().isAfter(tokenExpiry)) {
            HttpResponse<String> response = Http.send(HttpRequest.newBuilder(
                            URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(Http.form(Map.of("grant_type", "password", "client_id", "admin-cli",
                            "username", username, "password", password)))
                    .build());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Admin login as '" + username + "' failed with "
                        + response.statusCode() + ": check the admin credentials of the server under test.");
            }
            JsonNode body = Http.json(response.body());
            token = body.get("access_token").asText();
            tokenExpiry = Instant.now().plusSeconds(body.get("expires_in").asLong() - 10);
        }
        return token;
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri()
                    + " answered " + response.statusCode() + " (expected " + status + "): " + response.body());
        }
    }
}
