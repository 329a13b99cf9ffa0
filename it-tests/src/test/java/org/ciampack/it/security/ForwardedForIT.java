package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.Test;

/**
 * Why conf/ciam.conf.example tells operators to make the edge proxy overwrite X-Forwarded-For: from a trusted
 * proxy Keycloak takes the header's first entry as the client address. The test client plays the proxy (the
 * server trusts loopback); 192.0.2.66 is on the demo realm's deny list.
 */
@CiamIntegrationTest
class ForwardedForIT {

    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String PASSWORD = "Forwarded-Password-42";
    private static final String DENIED = "192.0.2.66";

    @Test
    void behindAProxyThatAppendsAClientChoosesItsOwnAddressAndWalksPastTheDenyList(ServerUnderTest server,
            AdminApi admin) {
        String email = customer(admin);
        // The client at the denied address sent "X-Forwarded-For: 203.0.113.10"; the proxy appended what it saw.
        flow(server, "203.0.113.10, " + DENIED).signIn(Attempt.fresh(), email, PASSWORD).code();

        JsonNode login = admin.events("acme", admin.findUserByEmail("acme", email).get("id").asText(), "LOGIN")
                .get(0);
        assertThat(login.path("ipAddress").asText()).as("the address the client chose").isEqualTo("203.0.113.10");
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("low");
    }

    @Test
    void behindAProxyThatOverwritesTheRealAddressCountsAndInnerProxiesMayAppend(ServerUnderTest server,
            AdminApi admin) {
        String email = customer(admin);
        // The edge proxy overwrote whatever the client sent with the address it saw.
        int wrongPassword = flow(server, "198.51.100.9").submitLogin(Attempt.fresh(), "nobody-" + email, PASSWORD)
                .statusCode();
        assertRefused(flow(server, DENIED).submitLogin(Attempt.fresh(), email, PASSWORD), wrongPassword);
        // An inner proxy behind the edge one appended the edge's address: the first entry still decides.
        assertRefused(flow(server, DENIED + ", 10.0.0.5").submitLogin(Attempt.fresh(), email, PASSWORD), wrongPassword);
        String userId = admin.findUserByEmail("acme", email).get("id").asText();
        assertThat(admin.events("acme", userId, "LOGIN")).as("no sign-in from the denied address").isEmpty();
        assertThat(admin.events("acme", userId, "LOGIN_ERROR")).hasSize(2)
                .allSatisfy(error -> assertThat(error.path("ipAddress").asText()).isEqualTo(DENIED));

        // A customer at an ordinary address behind the same proxies signs in, recorded at that address.
        String other = customer(admin);
        flow(server, "198.51.100.9, 10.0.0.5").signIn(Attempt.fresh(), other, PASSWORD).code();
        JsonNode login = admin.events("acme", admin.findUserByEmail("acme", other).get("id").asText(), "LOGIN")
                .get(0);
        assertThat(login.path("ipAddress").asText()).isEqualTo("198.51.100.9");
    }

    /** The deny list refuses as a wrong password does: the login form again, no way on to the app. */
    private static void assertRefused(HttpResponse<String> answer, int wrongPasswordStatus) {
        assertThat(answer.statusCode()).isEqualTo(wrongPasswordStatus);
        assertThat(answer.body()).contains("Invalid username or password");
        assertThat(answer.headers().firstValue("Location")).isEmpty();
    }

    private static String customer(AdminApi admin) {
        String email = "xff-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
        return email;
    }

    private static OidcCodeFlow flow(ServerUnderTest server, String forwardedFor) {
        return new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", forwardedFor);
    }
}
