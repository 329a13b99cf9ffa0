package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.IdTokenVerifier;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo web client signs users in with the authorization code flow and PKCE, as a single-page app would. */
@CiamIntegrationTest
class AuthorizationCodePkceIT {

    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String PASSWORD = "Correct-Horse-42";

    private URI realm;
    private String email;
    private OidcCodeFlow web;

    @BeforeEach
    void customerWithVerifiedEmail(ServerUnderTest server, AdminApi admin) {
        realm = server.realmUrl("acme");
        email = "pkce-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        admin.createUser("acme", email, PASSWORD, true);
        web = new OidcCodeFlow(realm, "acme-web", APP);
    }

    @Test
    void codeFlowWithPkceIssuesAnIdTokenSignedWithTheRealmKey() {
        Attempt attempt = Attempt.fresh();
        OidcCodeFlow.Callback callback = web.signIn(attempt, email, PASSWORD);
        assertThat(callback.parameters()).containsEntry("state", attempt.state());

        JsonNode tokens = web.tokens(callback.code(), attempt.codeVerifier());
        JsonNode idToken = IdTokenVerifier.forRealm(realm).verify(tokens.get("id_token").asText());

        assertThat(idToken.get("iss").asText()).isEqualTo(realm.toString());
        assertThat(idToken.get("aud").asText()).isEqualTo("acme-web");
        assertThat(idToken.get("azp").asText()).isEqualTo("acme-web");
        assertThat(idToken.get("nonce").asText()).isEqualTo(attempt.nonce());
        assertThat(idToken.get("email").asText()).isEqualTo(email);
        assertThat(idToken.get("exp").asLong()).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(tokens.get("token_type").asText()).isEqualToIgnoringCase("Bearer");
    }

    @Test
    void aTamperedIdTokenFailsVerification() {
        Attempt attempt = Attempt.fresh();
        String idToken = web.tokens(web.signIn(attempt, email, PASSWORD).code(), attempt.codeVerifier())
                .get("id_token").asText();
        String[] parts = idToken.split("\\.");
        String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2)
                + (parts[1].endsWith("A") ? "BA" : "AA") + "." + parts[2];

        assertThatThrownBy(() -> IdTokenVerifier.forRealm(realm).verify(forged)).isInstanceOf(SecurityException.class);
    }

    @Test
    void theCodeIsWorthlessWithoutTheMatchingVerifier() {
        Attempt attempt = Attempt.fresh();
        String code = web.signIn(attempt, email, PASSWORD).code();

        HttpResponse<String> stolen = web.exchange(code, Attempt.fresh().codeVerifier());

        assertThat(stolen.statusCode()).isEqualTo(400);
        assertThat(stolen.body()).contains("invalid_grant");
    }

    @Test
    void aRequestWithoutCodeChallengeIsRefused() {
        Attempt attempt = Attempt.fresh();
        URI withoutPkce = URI.create(web.authorizationUrl(attempt).toString()
                .replaceAll("&code_challenge=[^&]+&code_challenge_method=S256", ""));

        OidcCodeFlow.Callback refused = web.redirectFrom(withoutPkce);

        assertThat(refused.parameters()).containsEntry("error", "invalid_request").doesNotContainKey("code");
    }
}
