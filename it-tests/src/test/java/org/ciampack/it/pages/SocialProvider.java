package org.ciampack.it.pages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Browser;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.ServerUnderTest;
import org.openqa.selenium.By;

/**
 * A social login for the demo realm: a realm of this server with the given customers, as an OpenID Connect identity
 * provider of {@code acme} that uses the demo's first-broker-login flow. Closing it removes both.
 */
public final class SocialProvider implements AutoCloseable {

    private final AdminApi admin;
    private final String alias;

    private SocialProvider(AdminApi admin, String alias) {
        this.admin = admin;
        this.alias = alias;
    }

    /** A provider named {@code social-<random>} whose customers all have {@code password}. */
    public static SocialProvider create(ServerUnderTest server, AdminApi admin, String password, String... emails) {
        String alias = "social-" + UUID.randomUUID().toString().substring(0, 6);
        String base = server.baseUrl().toString();
        ObjectNode social = Http.JSON.createObjectNode().put("realm", alias).put("enabled", true).put("sslRequired", "none");
        social.putArray("clients").addObject().put("clientId", "acme-broker").put("enabled", true)
                .put("publicClient", false).put("secret", "broker-secret").put("standardFlowEnabled", true)
                .putArray("redirectUris").add(base + "/realms/acme/broker/" + alias + "/endpoint");
        var users = social.putArray("users");
        for (String email : emails) {
            ObjectNode user = users.addObject().put("username", email).put("email", email).put("emailVerified", true)
                    .put("firstName", "Sam").put("lastName", "Social").put("enabled", true);
            user.putArray("credentials").addObject().put("type", "password").put("value", password).put("temporary", false);
        }
        assertThat(admin.send("POST", "/realms", social).statusCode()).as("provider realm " + alias).isEqualTo(201);
        String issuer = base + "/realms/" + alias;
        ObjectNode provider = Http.JSON.createObjectNode().put("alias", alias).put("displayName", "Social " + alias)
                .put("providerId", "oidc").put("enabled", true).put("trustEmail", true)
                .put("firstBrokerLoginFlowAlias", "ciam first broker login");
        provider.putObject("config").put("clientId", "acme-broker").put("clientSecret", "broker-secret")
                .put("clientAuthMethod", "client_secret_post").put("issuer", issuer)
                .put("authorizationUrl", issuer + "/protocol/openid-connect/auth")
                .put("tokenUrl", issuer + "/protocol/openid-connect/token")
                .put("userInfoUrl", issuer + "/protocol/openid-connect/userinfo")
                .put("jwksUrl", issuer + "/protocol/openid-connect/certs").put("useJwksUrl", "true")
                .put("validateSignature", "true").put("defaultScope", "openid email profile").put("syncMode", "IMPORT");
        assertThat(admin.send("POST", "/realms/acme/identity-provider/instances", provider).statusCode())
                .as("identity provider " + alias).isEqualTo(201);
        return new SocialProvider(admin, alias);
    }

    /** Makes {@code flowAlias} the provider's post login flow: run after every sign-in through it. */
    public SocialProvider afterEverySignIn(String flowAlias) {
        String path = "/realms/acme/identity-provider/instances/" + alias;
        ObjectNode provider = (ObjectNode) admin.get(path);
        provider.put("postBrokerLoginFlowAlias", flowAlias);
        assertThat(admin.send("PUT", path, provider).statusCode()).as("post login flow of " + alias).isEqualTo(204);
        return this;
    }

    /** Links the provider's account of {@code email} to the acme account {@code userId}, as a past first login would. */
    public void linkTo(String userId, String email) {
        JsonNode account = admin.get("/realms/" + alias + "/users?exact=true&email=" + Http.encode(email)).get(0);
        ObjectNode link = Http.JSON.createObjectNode().put("identityProvider", alias)
                .put("userId", account.get("id").asText()).put("userName", email);
        assertThat(admin.send("POST", "/realms/acme/users/" + userId + "/federated-identity/" + alias, link).statusCode())
                .as("link to " + alias).isEqualTo(204);
    }

    public String alias() {
        return alias;
    }

    /** Clicks the provider's button on the acme login page and signs in at the provider. */
    public void signIn(Browser browser, String email, String password) {
        browser.await(By.id("social-" + alias)).click();
        new LoginPage(browser).signIn(email, password);
    }

    @Override
    public void close() {
        admin.send("DELETE", "/realms/acme/identity-provider/instances/" + alias, null);
        admin.send("DELETE", "/realms/" + alias, null);
    }
}
