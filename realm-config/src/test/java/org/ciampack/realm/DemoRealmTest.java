package org.ciampack.realm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AbstractAuthenticationExecutionRepresentation;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentExportRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * The demo realm file is read with Keycloak's own representation classes, strictly: a misspelt key would be
 * silently dropped by the server's import, so here it fails the build instead.
 */
class DemoRealmTest {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * A message key of ours, as a display name ({@code ${ciamPhone}}) or an error message ({@code "ciamPhoneInvalid"});
     * not a JSON key such as the annotation {@code "ciamAskLater":}.
     */
    private static final Pattern MESSAGE_KEY = Pattern.compile("\\$\\{(ciam\\w+)}|\"(ciam\\w+)\"(?!\\s*:)");

    private static RealmRepresentation realm;

    @BeforeAll
    static void readRealm() throws IOException {
        try (InputStream in = DemoRealmTest.class.getResourceAsStream("/acme-realm.json")) {
            assertThat(in).as("acme-realm.json on the classpath").isNotNull();
            realm = STRICT.readValue(in, RealmRepresentation.class);
        }
    }

    @Test
    void isTheBrandedSelfServiceRealm() {
        assertThat(realm.getRealm()).isEqualTo("acme");
        assertThat(realm.getLoginTheme()).isEqualTo("ciam");
        assertThat(realm.getEmailTheme()).isEqualTo("ciam");
        assertThat(realm.getAccountTheme()).as("the console with Known devices").isEqualTo("ciam");
        assertThat(realm.getSslRequired()).as("TLS for external clients unless the local server relaxes it")
                .isEqualTo("${CIAM_SSL_REQUIRED:external}");
        assertThat(realm.isRegistrationAllowed()).isTrue();
        assertThat(realm.isRegistrationEmailAsUsername()).isTrue();
        assertThat(realm.isVerifyEmail()).isTrue();
        assertThat(realm.isResetPasswordAllowed()).isTrue();
        assertThat(realm.isBruteForceProtected()).isTrue();
        assertThat(realm.getWebAuthnPolicyPasswordlessPasskeysEnabled()).isTrue();
    }

    @Test
    void aFailingRiskEngineLetsCustomersIn() {
        assertThat(realm.getAttributes()).containsEntry("ciam.risk.onError", "open");
    }

    @Test
    void storesUserAndAdminEventsForThirtyDays() {
        assertThat(realm.isEventsEnabled()).isTrue();
        assertThat(realm.getEventsExpiration()).isEqualTo(30L * 24 * 3600);
        assertThat(realm.isAdminEventsEnabled()).isTrue();
        assertThat(realm.isAdminEventsDetailsEnabled()).isTrue();
        // Admin events carry user representations: kept as long as user events, not for ever (Keycloak's default).
        assertThat(realm.getAttributes()).containsEntry("adminEventsExpiration", String.valueOf(30L * 24 * 3600));
    }

    @Test
    void mailGoesToTheConfiguredCatcher() {
        Map<String, String> smtp = realm.getSmtpServer();
        assertThat(smtp.get("host")).isEqualTo("${CIAM_SMTP_HOST:localhost}");
        assertThat(smtp.get("port")).isEqualTo("${CIAM_SMTP_PORT:3025}");
        assertThat(smtp.get("from")).isNotBlank();
    }

    @Test
    void webClientIsPublicWithPkce() {
        ClientRepresentation web = client("acme-web");
        assertThat(web.isPublicClient()).isTrue();
        assertThat(web.isStandardFlowEnabled()).isTrue();
        assertThat(web.isImplicitFlowEnabled()).isFalse();
        assertThat(web.isDirectAccessGrantsEnabled()).isFalse();
        assertThat(web.getAttributes()).containsEntry("pkce.code.challenge.method", "S256");
        assertThat(web.getRedirectUris()).containsExactly("http://localhost:*");
    }

    @Test
    void backendClientIsConfidentialWithoutACommittedSecret() {
        ClientRepresentation backend = client("acme-backend");
        assertThat(backend.isPublicClient()).isFalse();
        assertThat(backend.isServiceAccountsEnabled()).isTrue();
        assertThat(backend.getSecret()).as("secret is generated on import, never committed").isNull();
    }

    @Test
    void userProfileDeclaresOptionalCustomerAttributes() throws IOException {
        List<ComponentExportRepresentation> providers =
                realm.getComponents().get("org.keycloak.userprofile.UserProfileProvider");
        assertThat(providers).hasSize(1);
        String config = providers.get(0).getConfig().getFirst("kc.user.profile.config");
        JsonNode attributes = STRICT.readTree(config).get("attributes");

        for (String name : List.of("phone", "birthdate", "country", "company")) {
            JsonNode attribute = StreamSupport.stream(attributes.spliterator(), false)
                    .filter(a -> name.equals(a.get("name").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("user profile lacks " + name));
            assertThat(attribute.has("required")).as(name + " is optional").isFalse();
            assertThat(attribute.at("/permissions/edit").toString()).as(name + " is editable by the user").contains("user");
        }
    }

    @Test
    void everyMessageKeyTheProfileUsesIsTranslated() throws IOException {
        String config = realm.getComponents().get("org.keycloak.userprofile.UserProfileProvider").get(0)
                .getConfig().getFirst("kc.user.profile.config");
        Map<String, String> english = realm.getLocalizationTexts().get("en");
        Matcher keys = MESSAGE_KEY.matcher(config);
        int found = 0;
        while (keys.find()) {
            String key = keys.group(1) != null ? keys.group(1) : keys.group(2);
            assertThat(english).as("translation of " + key).containsKey(key);
            found++;
        }
        assertThat(found).isGreaterThan(5);
    }

    /**
     * The purposes' titles and descriptions are the realm's own texts, so they follow the realm whatever its theme;
     * and the consent action is on, which asks after a registration whose form showed no purposes.
     */
    @Test
    void consentPurposesHaveTheirTextsAndTheConsentActionIsOn() {
        Map<String, String> english = realm.getLocalizationTexts().get("en");
        Matcher keys = MESSAGE_KEY.matcher(realm.getAttributes().get("ciam.consent.purposes"));
        int found = 0;
        while (keys.find()) {
            String key = keys.group(1) != null ? keys.group(1) : keys.group(2);
            assertThat(english).as("text of " + key).containsKey(key);
            found++;
        }
        assertThat(found).as("a title and a description for each of the 3 purposes").isEqualTo(6);
        assertThat(realm.getRequiredActions()).filteredOn(action -> action.getAlias().equals("ciam-consent"))
                .singleElement().satisfies(action -> assertThat(action.isEnabled()).isTrue());
    }

    @Test
    void loginEventsCarryTheRiskDetailsHoweverTheLoginEnds() {
        assertThat(realm.getRequiredActions()).filteredOn(action -> action.getAlias().equals("ciam-risk-event-details"))
                .singleElement().satisfies(action -> assertThat(action.isEnabled()).isTrue());
    }

    @Test
    void browserFlowAssessesRiskAndDeniesHighRisk() {
        assertThat(realm.getBrowserFlow()).isEqualTo("ciam browser");
        assertThat(steps(flow("ciam browser forms"))).as("deny-listed addresses are refused before the password")
                .containsExactly("ciam-address-gate", "ciam-username-password-form", "ciam-risk-assessment",
                        "ciam deny high risk", "ciam step-up medium risk");

        assertThat(steps(flow("ciam deny high risk"))).as("refused like a wrong password")
                .containsExactly("ciam-condition-risk-level", "ciam-risk-deny");
        assertThat(config("ciam risk is high")).containsEntry("risk-level", "high");
        assertThat(config("ciam risk is medium")).containsEntry("risk-level", "medium");
    }

    @Test
    void mediumRiskAsksForTheUsersSecondFactorAndDeniesAUserWithNone() {
        assertThat(steps(flow("ciam step-up medium risk"))).containsExactly("ciam-condition-risk-level",
                "ciam step-up second factor", "ciam step-up without second factor");
        assertThat(steps(flow("ciam step-up second factor"))).containsExactly("conditional-user-configured",
                "auth-otp-form", "webauthn-authenticator", "webauthn-authenticator-passwordless", "ciam-email-otp");
        assertThat(flow("ciam step-up second factor").getAuthenticationExecutions().stream()
                .filter(e -> !e.getAuthenticator().startsWith("conditional")).map(e -> e.getRequirement()))
                .containsOnly("ALTERNATIVE");
        assertThat(steps(flow("ciam step-up without second factor"))).containsExactly("conditional-sub-flow-executed",
                "deny-access-authenticator");
        assertThat(config("ciam no second factor used")).containsEntry("flow_to_check", "ciam step-up second factor")
                .containsEntry("check_result", "not-executed");
        assertThat(config("ciam generic denial")).containsEntry("denyErrorMessage", "ciamLoginDenied");
        assertThat(config("ciam email code")).containsEntry("max-codes", "3");
    }

    @Test
    void progressiveProfilingFollowsEverySignInRegistrationAndFirstBrokerLogin() {
        // consents due come before the profile questions they govern
        assertThat(steps(flow("ciam browser"))).containsExactly("ciam browser sign-in", "ciam-consent-step",
                "ciam-progressive-profiling");
        assertThat(steps(flow("ciam browser sign-in"))).containsExactly("auth-cookie", "auth-spnego",
                "identity-provider-redirector", "ciam browser forms");
        assertThat(steps(flow("ciam registration"))).endsWith("ciam-progressive-profiling");
        assertThat(steps(flow("ciam first broker login"))).endsWith("ciam user creation or linking",
                "ciam link second factor", "ciam-consent-step", "ciam-progressive-profiling");
        assertThat(config("ciam profiling plan")).containsEntry("stages",
                "phone | login 2 | skippable 2##birthdate | login 3 | skippable 1##address | client acme-shop")
                .containsEntry("max-questions", "2");
        assertThat(client("acme-shop").isPublicClient()).isTrue();
        assertThat(client("acme-shop").getAttributes()).containsEntry("pkce.code.challenge.method", "S256");
    }

    @Test
    void anExistingAccountIsLinkedByTheMailedLinkAndItsSecondFactorNeverByAPassword() {
        assertThat(steps(flow("ciam handle existing account"))).containsExactly("idp-confirm-link",
                "ciam account verification options");
        // After the whole creation-or-linking sub-flow: a sign-in that a link confirmed on another device marked
        // verified is linked by "create user if unique", past the sub-flow for existing accounts.
        assertThat(flow("ciam first broker login").getAuthenticationExecutions())
                .filteredOn(execution -> "ciam link second factor".equals(execution.getFlowAlias()))
                .extracting(AuthenticationExecutionExportRepresentation::getRequirement).containsExactly("CONDITIONAL");
        // Where no link can be mailed, a page that links nothing and says how to link from the account instead;
        // both required: an alternative would offer "Try another way" while the mail is awaited.
        assertThat(steps(flow("ciam account verification options"))).containsExactly("ciam-link-from-account",
                "idp-email-verification");
        assertThat(flow("ciam account verification options").getAuthenticationExecutions())
                .extracting(AuthenticationExecutionExportRepresentation::getRequirement)
                .containsExactly("REQUIRED", "REQUIRED");
        assertThat(steps(flow("ciam link second factor"))).containsExactly("conditional-user-configured",
                "auth-otp-form", "webauthn-authenticator", "webauthn-authenticator-passwordless");
        assertThat(realm.getAuthenticationFlows()).flatExtracting(AuthenticationFlowRepresentation::getAuthenticationExecutions)
                .extracting(AuthenticationExecutionExportRepresentation::getAuthenticator)
                .doesNotContain("idp-username-password-form");
    }

    @Test
    void signInsThroughAnIdentityProviderAreScoredLikePasswordSignIns() {
        assertThat(steps(flow("ciam identity provider sign-in"))).containsExactly("ciam-risk-assessment",
                "ciam identity provider deny high risk", "ciam identity provider step-up medium risk");
        assertThat(flow("ciam identity provider sign-in").isTopLevel()).isTrue();
        assertThat(steps(flow("ciam identity provider deny high risk"))).containsExactly("ciam-condition-risk-level",
                "deny-access-authenticator");
        assertThat(steps(flow("ciam identity provider step-up medium risk"))).containsExactly(
                "ciam-condition-risk-level", "ciam identity provider second factor",
                "ciam identity provider without second factor");
        assertThat(config("ciam identity provider no second factor used"))
                .containsEntry("flow_to_check", "ciam identity provider second factor")
                .containsEntry("check_result", "not-executed");
    }

    @Test
    void everyFlowDescriptionFitsKeycloaksColumn() {
        // DESCRIPTION is VARCHAR(255): a longer one makes the import, and so the server start, fail.
        assertThat(realm.getAuthenticationFlows()).allSatisfy(flow ->
                assertThat(flow.getDescription()).as(flow.getAlias()).hasSizeLessThanOrEqualTo(255));
    }

    private static List<String> steps(AuthenticationFlowRepresentation flow) {
        return flow.getAuthenticationExecutions().stream()
                .sorted(java.util.Comparator.comparingInt(AuthenticationExecutionExportRepresentation::getPriority))
                .map(e -> e.getAuthenticator() != null ? e.getAuthenticator() : e.getFlowAlias()).toList();
    }

    @Test
    void passwordGrantsAreAssessedAndRefusedFromMediumRisk() {
        assertThat(realm.getDirectGrantFlow()).isEqualTo("ciam direct grant");
        assertThat(steps(flow("ciam direct grant"))).containsExactly("ciam-address-gate", "direct-grant-validate-username",
                "ciam-direct-grant-validate-password", "ciam-risk-assessment", "ciam direct grant deny risk");
        assertThat(steps(flow("ciam direct grant deny risk"))).as("refused like a wrong password")
                .containsExactly("ciam-condition-risk-level", "ciam-risk-deny");
        assertThat(config("ciam direct grant risk is medium")).containsEntry("risk-level", "medium");
    }

    @Test
    void everyFlowAndConfigReferenceResolves() {
        for (AuthenticationFlowRepresentation flow : realm.getAuthenticationFlows()) {
            for (AuthenticationExecutionExportRepresentation execution : flow.getAuthenticationExecutions()) {
                if (execution.getFlowAlias() != null) {
                    flow(execution.getFlowAlias());
                }
                if (execution.getAuthenticatorConfig() != null) {
                    config(execution.getAuthenticatorConfig());
                }
            }
        }
    }

    private static AuthenticationFlowRepresentation flow(String alias) {
        return realm.getAuthenticationFlows().stream().filter(f -> alias.equals(f.getAlias())).findFirst()
                .orElseThrow(() -> new AssertionError("no flow " + alias));
    }

    private static Map<String, String> config(String alias) {
        return realm.getAuthenticatorConfig().stream().filter(c -> alias.equals(c.getAlias())).findFirst()
                .orElseThrow(() -> new AssertionError("no authenticator config " + alias)).getConfig();
    }

    private static ClientRepresentation client(String clientId) {
        return realm.getClients().stream()
                .filter(c -> clientId.equals(c.getClientId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no client " + clientId));
    }
}
