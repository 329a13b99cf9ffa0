package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.BrowserExtension;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.pages.AccountConsole;
import org.ciampack.it.pages.KnownDevicesPage;
import org.ciampack.it.pages.LoginPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Customers see the devices they sign in with and can make one unknown again: on the account console's "Known
 * devices" page, and through the REST API for apps.
 */
@CiamIntegrationTest
@ExtendWith(BrowserExtension.class)
class KnownDevicesIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    private URI realm;
    private URI devices;
    private String email;

    @BeforeEach
    void customer(ServerUnderTest server, AdminApi admin) {
        realm = server.realmUrl("acme");
        devices = URI.create(realm + "/ciam-risk/devices");
        email = "devices-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
    }

    @Test
    void aCustomerListsAndForgetsTheirDevices(AdminApi admin) {
        String token = signIn(email, "198.51.100.60");
        signIn(email, "198.51.100.61"); // a second browser, same city

        HttpResponse<String> list = call("GET", devices, token);
        assertThat(list.headers().firstValue("Cache-Control")).as("kept by no cache").hasValue("no-store");
        JsonNode listed = Http.json(list.body());
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("lastCity").asText()).isEqualTo("Berlin");
        assertThat(listed.get(0).get("logins").asInt()).isEqualTo(1);

        String forgotten = listed.get(1).get("id").asText();
        assertThat(call("DELETE", URI.create(devices + "/" + forgotten), token).statusCode()).isEqualTo(204);
        JsonNode after = Http.json(call("GET", devices, token).body());
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("id").asText()).isNotEqualTo(forgotten);
    }

    @Test
    void nobodyElseSeesOrForgetsThem(AdminApi admin) {
        signIn(email, "198.51.100.62");
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", other, PASSWORD, true);
        String otherToken = signIn(other, "198.51.100.63");
        String ownToken = signIn(email, "198.51.100.62");
        String device = Http.json(call("GET", devices, ownToken).body()).get(0).get("id").asText();

        JsonNode theirs = Http.json(call("GET", devices, otherToken).body());
        assertThat(theirs.toString()).doesNotContain(device);
        assertThat(call("DELETE", URI.create(devices + "/" + device), otherToken).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", URI.create(devices + "/no-such-device"), ownToken).statusCode()).isEqualTo(404);
        assertThat(call("GET", devices, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", devices, "not-a-token").statusCode()).isEqualTo(401);
    }

    @Test
    void aCustomerRemovesADeviceOnTheAccountConsolePage(Browser browser) {
        signIn(email, "198.51.100.64"); // earlier, on a phone in Berlin

        browser.open(AccountConsole.url(realm));
        new LoginPage(browser).signIn(email, PASSWORD);
        new AccountConsole(browser).assertSignedInAs(email);
        KnownDevicesPage page = KnownDevicesPage.openFromMenu(browser).capture("known-devices");

        assertThat(page.devices()).hasSize(2);
        assertThat(page.devices()).filteredOn(row -> row.contains("This device")).hasSize(1);
        assertThat(page.devices()).filteredOn(row -> row.contains("Berlin, DE")).singleElement().asString()
                .doesNotContain("This device");

        page.remove("Berlin, DE").capture("known-device-removed");

        assertThat(page.status()).isEqualTo("The device was removed.");
        assertThat(page.devices()).singleElement().asString().contains("This device");
    }

    @Test
    void theLoginCookieWorksOnlyFromThisServersOwnPages(ServerUnderTest server) {
        OidcCodeFlow browser = new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", "198.51.100.65");
        browser.signIn(Attempt.fresh(), email, PASSWORD).code();

        HttpResponse<String> list = browser.send("GET", devices, Map.of());
        String pageToken = list.headers().firstValue("X-CIAM-CSRF").orElseThrow();
        JsonNode listed = Http.json(list.body());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("current").asBoolean()).as("the asking browser's own device").isTrue();
        URI device = URI.create(devices + "/" + listed.get(0).get("id").asText());

        assertThat(browser.send("DELETE", device, Map.of("Origin", "https://evil.example")).statusCode())
                .as("another site making the signed-in browser remove a device").isEqualTo(403);
        assertThat(browser.send("DELETE", device, Map.of()).statusCode()).as("no Origin").isEqualTo(403);
        assertThat(Http.json(browser.send("GET", devices, Map.of()).body())).hasSize(1);

        String origin = server.baseUrl().toString();
        assertThat(browser.send("DELETE", device, Map.of("Origin", origin)).statusCode())
                .as("this server's origin without the page token").isEqualTo(403);
        assertThat(browser.send("DELETE", device, Map.of("Origin", origin, "X-CIAM-CSRF", "forged")).statusCode())
                .as("a forged page token").isEqualTo(403);
        assertThat(browser.send("DELETE", device, Map.of("Origin", "https://evil.example", "X-CIAM-CSRF", pageToken))
                .statusCode()).as("the token from another site").isEqualTo(403);
        assertThat(Http.json(browser.send("GET", devices, Map.of()).body())).hasSize(1);
        assertThat(browser.send("DELETE", device, Map.of("Origin", origin, "X-CIAM-CSRF", pageToken)).statusCode())
                .isEqualTo(204);
        assertThat(Http.json(browser.send("GET", devices, Map.of()).body())).isEmpty();
        assertThat(browser.forgetSession().send("GET", devices, Map.of()).statusCode()).as("signed out").isEqualTo(401);
    }

    @Test
    void appsCallFromTheirClientsWebOriginsOnly(AdminApi admin) {
        // A single-page app at http://localhost:5173, its web origins derived from its redirect URI ("+").
        String spa = "acme-spa-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode client = Http.JSON.createObjectNode().put("clientId", spa).put("publicClient", true)
                .put("standardFlowEnabled", true);
        client.putArray("redirectUris").add(APP.toString());
        client.putArray("webOrigins").add("+");
        client.putObject("attributes").put("pkce.code.challenge.method", "S256");
        assertThat(admin.send("POST", "/realms/acme/clients", client).statusCode()).isEqualTo(201);
        OidcCodeFlow browser = new OidcCodeFlow(realm, spa, APP).header("X-Forwarded-For", "198.51.100.66");
        Attempt attempt = Attempt.fresh();
        String token = browser.tokens(browser.signIn(attempt, email, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText();

        HttpResponse<String> preflight = Http.send(HttpRequest.newBuilder(URI.create(devices + "/some-id"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "DELETE")
                .header("Access-Control-Request-Headers", "authorization").build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("DELETE");

        HttpResponse<String> fromApp = call("GET", devices, token, "http://localhost:5173");
        assertThat(fromApp.statusCode()).isEqualTo(200);
        assertThat(fromApp.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:5173");
        assertThat(call("GET", devices, token, "https://evil.example").statusCode())
                .as("not a web origin of acme-web").isEqualTo(403);
    }

    private String signIn(String user, String address) {
        OidcCodeFlow browser = new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", address);
        Attempt attempt = Attempt.fresh();
        return browser.tokens(browser.signIn(attempt, user, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText();
    }

    private static HttpResponse<String> call(String method, URI uri, String token) {
        return call(method, uri, token, null);
    }

    private static HttpResponse<String> call(String method, URI uri, String token, String origin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return Http.send(request.build());
    }
}
