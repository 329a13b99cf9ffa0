package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Customers see the devices they sign in with and can make one unknown again, through the REST API for apps. */
@CiamIntegrationTest
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

        JsonNode listed = Http.json(call("GET", devices, token).body());
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

    private String signIn(String user, String address) {
        OidcCodeFlow browser = new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", address);
        Attempt attempt = Attempt.fresh();
        return browser.tokens(browser.signIn(attempt, user, PASSWORD).code(), attempt.codeVerifier())
                .get("access_token").asText();
    }

    private static HttpResponse<String> call(String method, URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return Http.send(request.build());
    }
}
