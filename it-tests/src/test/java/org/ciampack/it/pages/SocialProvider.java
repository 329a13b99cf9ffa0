package org.ciampack.it.pages;

import static org.assertj.core.api.Assertions.assertThat;

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
