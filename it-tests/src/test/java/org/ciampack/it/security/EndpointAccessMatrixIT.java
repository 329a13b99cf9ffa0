package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every REST endpoint of the pack called by every kind of caller an attacker or a careless integrator could be: no
 * token, a customer's token, a service account's, a customer token of a client not meant for the account, an admin
 * of another realm, admins of this realm with no admin role, with only the view roles, with only one of the manage
 * roles, and an admin with every right. The expected answer of each cell follows from the right the endpoint needs
 * and the rights each caller holds; the observed one is asserted and written, with the expected, to
 * {@code docs/security.md}.
 */
@CiamIntegrationTest
class EndpointAccessMatrixIT {

    private static final String REALM = "acme";
    private static final String PASSWORD = "Matrix-Pass-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    /** The callers, in the columns' order, with the admin rights each holds in acme. */
    enum Caller {
        NONE("no token"),
        CUSTOMER("customer (acme-web)"),
        SERVICE_ACCOUNT("service account (acme-backend)"),
        OTHER_CLIENT("customer, client without the account audience"),
        OTHER_REALM("admin of another realm"),
        ADMIN_WITHOUT_ROLE("acme admin with query-users, query-groups only"),
        VIEWER("acme admin with view-realm, view-users, view-events", "view-realm", "view-users", "view-events"),
        REALM_MANAGER("acme admin with manage-realm only", "manage-realm", "view-realm"),
        USER_MANAGER("acme admin with manage-users only", "manage-users", "view-users"),
        EVENT_MANAGER("acme admin with manage-events only", "manage-events", "view-events"),
        ADMIN_WITH_ROLE("master admin (every right)", "*");

        final String title;
        /** Rights in acme: a role, or the view right Keycloak grants with it (manage-users lets one view users). */
        final Set<String> rights;

        Caller(String title, String... rights) {
            this.title = title;
            this.rights = Set.of(rights);
        }

        boolean holds(String right) {
            return rights.contains("*") || rights.contains(right);
        }

        /** The one realm-management role of a manager: the manage right it holds. */
        String managerRole() {
            return rights.stream().filter(right -> right.startsWith("manage-")).findFirst().orElseThrow();
        }
    }

    /** Who an endpoint is for: decides every cell but the one of its rightful caller. */
    enum Audience { ADMIN, SELF_SERVICE }

    record Endpoint(String method, String path, String body, Audience audience, String right, int allowed) {
        /** Admin APIs in Keycloak's admin API, self-service ones in the realm's own paths. */
        String fullPath() {
            return (audience == Audience.ADMIN ? "/admin/realms/" : "/realms/") + REALM + "/" + path;
        }

        int expected(Caller caller) {
            if (caller == Caller.NONE) {
                return 401;
            }
            if (audience == Audience.ADMIN) {
                return caller.holds(right) ? allowed : 403;
            }
            return switch (caller) {
                case CUSTOMER -> allowed;
                // tokens of other realms are not this realm's users at all
                case OTHER_REALM, ADMIN_WITH_ROLE -> 401;
                // tokens not meant for the account (a service account, admin-cli, a client without the audience)
                default -> 403;
            };
        }
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            admin("POST", "ciam-risk/what-if", "{\"username\":\"nobody@acme.test\",\"ipAddress\":\"198.51.100.9\"}",
                    "view-users", 404),
            admin("GET", "ciam-risk/settings", null, "view-realm", 200),
            admin("PUT", "ciam-risk/settings", "{\"bogus\":true}", "manage-realm", 400),
            self("GET", "ciam-risk/devices", null, "view-profile", 200),
            self("DELETE", "ciam-risk/devices/no-such-device", null, "manage-account", 404),
            self("GET", "ciam-consent/me", null, "view-profile", 200),
            self("PUT", "ciam-consent/me/no-such-purpose", "{\"decision\":\"granted\",\"version\":1}", "manage-account", 404),
            self("GET", "ciam-consent/me/export", null, "view-profile", 200),
            admin("GET", "ciam-consent/purposes", null, "view-realm", 200),
            admin("GET", "ciam-consent/purposes/terms", null, "view-realm", 200),
            admin("PUT", "ciam-consent/purposes/matrix", "{}", "manage-realm", 400),
            admin("DELETE", "ciam-consent/purposes/no-such-purpose", null, "manage-realm", 404),
            admin("DELETE", "ciam-consent/purposes/no-such-purpose/versions/2", null, "manage-realm", 404),
            admin("POST", "ciam-consent/purposes/no-such-purpose/reconsent", "{\"users\":[]}", "manage-users",
                    404),
            admin("POST", "ciam-consent/purposes/no-such-purpose/reconsent", "{\"everyone\":true}",
                    "manage-realm", 404),
            admin("GET", "ciam-consent/users/no-such-user/ledger", null, "view-users", 404),
            admin("POST", "ciam-consent/users/no-such-user/receipts", "{}", "manage-users", 404),
            admin("GET", "ciam-consent/receipts?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z", null,
                    "view-users", 200),
            admin("GET", "ciam-consent/pseudonym", null, "view-users", 400),
            admin("GET", "ciam-consent/counts", null, "view-users", 200),
            admin("GET", "ciam-consent/settings", null, "view-realm", 200),
            admin("PUT", "ciam-consent/settings", "[]", "manage-realm", 400),
            admin("GET", "ciam-export/routes", null, "view-events", 200),
            admin("GET", "ciam-export/routes/no-such-route", null, "view-events", 404),
            admin("PUT", "ciam-export/routes/matrix", "{}", "manage-realm", 400),
            admin("DELETE", "ciam-export/routes/no-such-route", null, "manage-realm", 404),
            admin("POST", "ciam-export/routes/no-such-route/test", null, "manage-realm", 404),
            admin("POST", "ciam-export/routes/no-such-route/pause", null, "manage-events", 404),
            admin("POST", "ciam-export/routes/no-such-route/resume", null, "manage-events", 404),
            admin("GET", "ciam-export/backlog", null, "view-events", 200),
            admin("GET", "ciam-export/routes/no-such-route/dead", null, "view-events", 404),
            admin("POST", "ciam-export/routes/no-such-route/dead/no-such-event/replay", null, "manage-events", 404),
            admin("POST", "ciam-export/routes/no-such-route/dead/replay", null, "manage-events", 404),
            admin("POST", "ciam-export/routes/no-such-route/replay?from=2020-01-01T00:00:00Z", null, "manage-events",
                    404));

    private static Map<Caller, String> tokens;

    private static Endpoint admin(String method, String path, String body, String right, int allowed) {
        return new Endpoint(method, path, body, Audience.ADMIN, right, allowed);
    }

    private static Endpoint self(String method, String path, String body, String right, int allowed) {
        return new Endpoint(method, path, body, Audience.SELF_SERVICE, right, allowed);
    }

    @BeforeAll
    static void callers(ServerUnderTest server, AdminApi admin) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        URI realm = server.realmUrl(REALM);
        tokens = new EnumMap<>(Caller.class);

        String customer = "matrix-" + suffix + "@acme.test";
        admin.createUser(REALM, customer, PASSWORD, true);
        OidcCodeFlow web = new OidcCodeFlow(realm, "acme-web", APP);
        Attempt attempt = Attempt.fresh();
        tokens.put(Caller.CUSTOMER, web.tokens(web.signIn(attempt, customer, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText());

        String backend = admin.get("/realms/" + REALM + "/clients?clientId=acme-backend").get(0).get("id").asText();
        String secret = admin.get("/realms/" + REALM + "/clients/" + backend + "/client-secret").get("value").asText();
        tokens.put(Caller.SERVICE_ACCOUNT, token(realm, Map.of("grant_type", "client_credentials",
                "client_id", "acme-backend", "client_secret", secret)));

        // A client whose tokens carry no roles and no audience but its own: not meant for the account.
        String narrow = "matrix-narrow-" + suffix;
        ObjectNode client = Http.JSON.createObjectNode().put("clientId", narrow).put("publicClient", true)
                .put("directAccessGrantsEnabled", true).put("standardFlowEnabled", false).put("fullScopeAllowed", false);
        client.putArray("defaultClientScopes").add("basic");
        assertThat(admin.send("POST", "/realms/" + REALM + "/clients", client).statusCode()).isEqualTo(201);
        tokens.put(Caller.OTHER_CLIENT, token(realm, Map.of("grant_type", "password", "client_id", narrow,
                "username", customer, "password", PASSWORD)));

        String otherRealm = "matrix-" + suffix;
        ObjectNode realmRepresentation = Http.JSON.createObjectNode().put("realm", otherRealm).put("enabled", true);
        assertThat(admin.send("POST", "/realms", realmRepresentation).statusCode()).isEqualTo(201);
        String otherAdmin = plainUser(admin, otherRealm, "realm-admin-" + suffix);
        admin.grantClientRole(otherRealm, otherAdmin, "realm-management", "realm-admin");
        tokens.put(Caller.OTHER_REALM, token(server.realmUrl(otherRealm), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", "realm-admin-" + suffix, "password", PASSWORD)));

        String helpdesk = "helpdesk-" + suffix + "@acme.test";
        String helpdeskId = admin.createUser(REALM, helpdesk, PASSWORD, true);
        admin.grantClientRole(REALM, helpdeskId, "realm-management", "query-users");
        admin.grantClientRole(REALM, helpdeskId, "realm-management", "query-groups");
        tokens.put(Caller.ADMIN_WITHOUT_ROLE, token(realm, Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", helpdesk, "password", PASSWORD)));

        String auditor = "auditor-" + suffix + "@acme.test";
        String auditorId = admin.createUser(REALM, auditor, PASSWORD, true);
        for (String role : List.of("view-realm", "view-users", "view-events")) {
            admin.grantClientRole(REALM, auditorId, "realm-management", role);
        }
        tokens.put(Caller.VIEWER, token(realm, Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", auditor, "password", PASSWORD)));

        for (Caller manager : List.of(Caller.REALM_MANAGER, Caller.USER_MANAGER, Caller.EVENT_MANAGER)) {
            String username = manager.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + suffix + "@acme.test";
            admin.grantClientRole(REALM, admin.createUser(REALM, username, PASSWORD, true), "realm-management",
                    manager.managerRole());
            tokens.put(manager, token(realm, Map.of("grant_type", "password", "client_id", "admin-cli",
                    "username", username, "password", PASSWORD)));
        }

        tokens.put(Caller.ADMIN_WITH_ROLE, admin.bearer());
    }

    /**
     * The admin APIs moved into Keycloak's admin API (docs/operations.md, upgrading): their old paths under the
     * realm's public URL answer nothing to anyone (404, or 405 where the self-service resource holds the path: no
     * handler for the method), the master admin with every role and a realm manager of acme included, while the
     * self-service APIs stay there.
     */
    @Test
    void theAdminApisOldPathsUnderTheRealmAnswerNothing(ServerUnderTest server, AdminApi admin) {
        for (String path : List.of("ciam-export/routes", "ciam-export/backlog", "ciam-consent/admin/purposes",
                "ciam-consent/admin/settings", "ciam-risk/settings")) {
            URI old = URI.create(server.realmUrl(REALM) + "/" + path);
            HttpResponse<String> answer = admin.sendAsAdmin("GET", old, null);
            assertThat(answer.statusCode()).as("GET " + old).isIn(404, 405);
            assertThat(answer.body()).as("nothing of the realm's settings").doesNotContain("privacy")
                    .doesNotContain("routes").doesNotContain("threshold");
            URI moved = URI.create(server.adminRealmUrl(REALM) + "/" + path.replace("ciam-consent/admin/", "ciam-consent/"));
            assertThat(admin.sendAsAdmin("GET", moved, null).statusCode()).as("GET " + moved).isEqualTo(200);
        }
        // what the old resources took from this realm's admins: writes with an acme realm manager's token
        for (String[] write : new String[][] {{"PUT", "ciam-risk/settings", "{}"}, {"PUT", "ciam-consent/admin/settings",
                "[]"}, {"PUT", "ciam-export/routes/old-path", "{}"}, {"POST", "ciam-risk/what-if", "{}"},
                {"POST", "ciam-export/routes/old-path/pause", "{}"}}) {
            HttpResponse<String> answer = Http.send(HttpRequest.newBuilder(
                            URI.create(server.realmUrl(REALM) + "/" + write[1]))
                    .header("Authorization", "Bearer " + tokens.get(Caller.REALM_MANAGER))
                    .header("Content-Type", "application/json")
                    .method(write[0], HttpRequest.BodyPublishers.ofString(write[2])).build());
            assertThat(answer.statusCode()).as(write[0] + " " + write[1] + " as acme's realm manager: " + answer.body())
                    .isIn(404, 405);
        }
        HttpResponse<String> selfService = Http.send(HttpRequest.newBuilder(
                URI.create(server.realmUrl(REALM) + "/ciam-consent/me")).GET().build());
        assertThat(selfService.statusCode()).as("the self-service API is still there: it wants a customer's token")
                .isEqualTo(401);
    }

    /**
     * An operator who disables the realm's account client turns self-service off, as for Keycloak's own account API:
     * the pack's self-service APIs then answer 404 to a customer's valid token as well, until it is enabled again.
     */
    @Test
    void selfServiceIsOffWhileTheAccountClientIsDisabled(ServerUnderTest server, AdminApi admin) {
        String account = admin.get("/realms/" + REALM + "/clients?clientId=account").get(0).get("id").asText();
        List<String> paths = List.of("ciam-consent/me", "ciam-consent/me/export", "ciam-risk/devices");
        try {
            assertThat(admin.send("PUT", "/realms/" + REALM + "/clients/" + account,
                    Http.JSON.createObjectNode().put("enabled", false)).statusCode()).isEqualTo(204);
            HttpResponse<String> keycloaks = selfService(server, "account", tokens.get(Caller.CUSTOMER));
            assertThat(keycloaks.statusCode()).as("Keycloak's own account API").isEqualTo(404);
            for (String path : paths) {
                HttpResponse<String> answer = selfService(server, path, tokens.get(Caller.CUSTOMER));
                assertThat(answer.statusCode()).as("GET " + path + ": " + answer.body()).isEqualTo(404);
                assertThat(answer.body()).contains("account management is not enabled");
            }
        } finally {
            assertThat(admin.send("PUT", "/realms/" + REALM + "/clients/" + account,
                    Http.JSON.createObjectNode().put("enabled", true)).statusCode()).isEqualTo(204);
        }
        for (String path : paths) {
            assertThat(selfService(server, path, tokens.get(Caller.CUSTOMER)).statusCode()).as("GET " + path + " again")
                    .isEqualTo(200);
        }
    }

    private static HttpResponse<String> selfService(ServerUnderTest server, String path, String token) {
        return Http.send(HttpRequest.newBuilder(URI.create(server.realmUrl(REALM) + "/" + path))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build());
    }

    @Test
    void everyEndpointAnswersEveryCallerAsExpected(ServerUnderTest server) throws IOException {
        Map<Endpoint, Map<Caller, Integer>> observed = new LinkedHashMap<>();
        List<String> mismatches = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            Map<Caller, Integer> row = new EnumMap<>(Caller.class);
            for (Caller caller : Caller.values()) {
                int status = call(server, endpoint, tokens.get(caller)).statusCode();
                row.put(caller, status);
                if (status != endpoint.expected(caller)) {
                    mismatches.add(endpoint.method() + " " + endpoint.path() + " by " + caller.title + ": expected "
                            + endpoint.expected(caller) + ", got " + status);
                }
            }
            observed.put(endpoint, row);
        }
        writeReport(observed);
        assertThat(mismatches).isEmpty();
    }

    private static HttpResponse<String> call(ServerUnderTest server, Endpoint endpoint, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + endpoint.fullPath()))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (endpoint.body() == null) {
            request.method(endpoint.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(endpoint.method(), HttpRequest.BodyPublishers.ofString(endpoint.body()));
        }
        return Http.send(request.build());
    }

    private static String token(URI realm, Map<String, String> form) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(Http.form(form)).build());
        assertThat(response.statusCode()).as("token for %s: %s", form.get("client_id"), response.body()).isEqualTo(200);
        return Http.json(response.body()).get("access_token").asText();
    }

    private static String plainUser(AdminApi admin, String realm, String username) {
        ObjectNode user = Http.JSON.createObjectNode().put("username", username).put("enabled", true)
                .put("email", username + "@other.test").put("emailVerified", true)
                .put("firstName", "Other").put("lastName", "Admin");
        user.putArray("credentials").addObject().put("type", "password").put("value", PASSWORD).put("temporary", false);
        HttpResponse<String> response = admin.send("POST", "/realms/" + realm + "/users", user);
        assertThat(response.statusCode()).isEqualTo(201);
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** docs/security.md: the matrix as a reviewer reads it, each cell "expected / observed". */
    private static void writeReport(Map<Endpoint, Map<Caller, Integer>> observed) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Who may call what: the pack's REST endpoints\n\n")
                .append("Generated by `it-tests/.../security/EndpointAccessMatrixIT` against the real server on every ")
                .append("test run (`./mvnw verify`); do not edit by hand. Each cell is *expected / observed* HTTP status. ")
                .append("Admin APIs are in Keycloak's admin API (`/admin/realms/<realm>/ciam-...`), self-service ones ")
                .append("in the realm's paths (`/realms/<realm>/ciam-...`). ")
                .append("The rightful caller gets a harmless request (an unknown id, ")
                .append("an invalid body), so 400 and 404 there mean: past the permission check. \"Customer\" tokens ")
                .append("are a customer's own; self-service endpoints only ever reach the caller's own data.\n\n")
                .append("| endpoint | needs |");
        for (Caller caller : Caller.values()) {
            md.append(' ').append(caller.title).append(" |");
        }
        md.append("\n|---|---|").append("---|".repeat(Caller.values().length)).append('\n');
        observed.forEach((endpoint, row) -> {
            md.append("| `").append(endpoint.method()).append(' ')
                    .append(endpoint.fullPath().replaceAll("\\?.*", ""))
                    .append("` | ").append(endpoint.audience() == Audience.ADMIN ? "admin: " : "own account: ")
                    .append('`').append(endpoint.right()).append("` |");
            row.forEach((caller, status) -> {
                int expected = endpoint.expected(caller);
                md.append(' ').append(expected).append(" / ").append(status == expected ? String.valueOf(status)
                        : "**" + status + "**").append(" |");
            });
            md.append('\n');
        });
        Path root = Path.of(System.getProperty("ciam.it.project.root", ".."));
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/security.md"), md.toString());
    }
}
