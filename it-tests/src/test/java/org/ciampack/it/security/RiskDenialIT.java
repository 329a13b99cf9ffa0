package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A credential stuffer learns nothing from a risk refusal: from a high-risk place the right password gets exactly
 * the answer a wrong one gets (page text, form, status, cookies, timing within noise), in the browser flow and in
 * password grants; and a deny-listed address is refused before any password is checked. The demo deny list holds
 * 192.0.2.66 and 2001:db8:bad::/48; Berlin (198.51.100.0/24) then Sydney (203.0.113.0/24) minutes later is
 * impossible travel.
 */
@CiamIntegrationTest
class RiskDenialIT {

    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String PASSWORD = "Correct-Horse-42";
    private static final String WRONG = "Wrong-Horse-42";
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    private AdminApi admin;
    private URI realm;

    @BeforeEach
    void server(ServerUnderTest server, AdminApi admin) {
        this.admin = admin;
        realm = server.realmUrl("acme");
    }

    @Test
    void fromAHighRiskPlaceTheRightPasswordGetsTheWrongPasswordAnswer() {
        Customer customer = customerSeenIn("198.51.100.31");

        HttpResponse<String> right = from("203.0.113.31").submitLogin(Attempt.fresh(), customer.email, PASSWORD);
        Pause.millis(1_200); // slower than the realm's quick-login check
        HttpResponse<String> wrong = from("203.0.113.31").submitLogin(Attempt.fresh(), customer.email, WRONG);

        assertSameAnswer(right, wrong);
        assertThat(visibleText(right)).contains("Invalid username or password").doesNotContain("could not sign you in");
        assertThat(formExecution(right)).as("the next try goes to the password form, as after a wrong password")
                .isEqualTo(formExecution(wrong)).isEqualTo(formExecution(loginPage(from("203.0.113.31"))));

        JsonNode wrongPassword = admin.events("acme", customer.id, "LOGIN_ERROR").get(0);
        assertThat(wrongPassword.path("error").asText()).isEqualTo("invalid_user_credentials");
        assertThat(wrongPassword.at("/details/risk_level").asText()).as("scored before the password check, right or wrong")
                .isEqualTo("high");
        JsonNode denial = admin.events("acme", customer.id, "LOGIN_ERROR").get(1);
        assertThat(denial.path("error").asText()).as("only the event says why").isEqualTo("access_denied");
        assertThat(denial.at("/details/risk_level").asText()).isEqualTo("high");
        assertThat(denial.at("/details/risk_reasons").asText()).startsWith("impossible_travel");
        assertThat(admin.events("acme", customer.id, "LOGIN")).as("only the Berlin login").hasSize(1);
        assertThat(awaitFailures(customer, 2)).as("both count for brute-force detection").isEqualTo(2);
    }

    @Test
    void theSameBrowserCanTryAgainAfterARefusal() {
        Customer customer = customerSeenIn("198.51.100.32");
        OidcCodeFlow sydney = from("203.0.113.32");

        HttpResponse<String> refused = sydney.submitLogin(Attempt.fresh(), customer.email, PASSWORD);
        Pause.millis(1_200);
        HttpResponse<String> again = sydney.submitForm(refused, "kc-form-login", Map.of("username", customer.email,
                "password", WRONG, "credentialId", ""));

        assertThat(again.statusCode()).isEqualTo(refused.statusCode());
        assertThat(visibleText(again)).isEqualTo(visibleText(refused));
        assertThat(admin.events("acme", customer.id, "LOGIN_ERROR").get(0).path("error").asText())
                .as("the second try was a real password check").isEqualTo("invalid_user_credentials");
    }

    @Test
    void rightAndWrongPasswordsTakeTheSameTimeFromAHighRiskPlace() {
        List<Long> right = new ArrayList<>();
        List<Long> wrong = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Customer customer = customerSeenIn("198.51.100." + (40 + i));
            OidcCodeFlow first = from("203.0.113." + (40 + i));
            OidcCodeFlow second = from("203.0.113." + (40 + i));
            // alternate the order, so a warming server favours neither
            boolean rightFirst = i % 2 == 0;
            long a = timedLogin(first, customer.email, rightFirst ? PASSWORD : WRONG);
            Pause.millis(1_200);
            long b = timedLogin(second, customer.email, rightFirst ? WRONG : PASSWORD);
            right.add(rightFirst ? a : b);
            wrong.add(rightFirst ? b : a);
        }
        long difference = Math.abs(median(right) - median(wrong));
        System.out.printf("RiskDenialIT timing: right %s ms (median %d), wrong %s ms (median %d)%n", right, median(right),
                wrong, median(wrong));
        assertThat(difference).as("median right %d ms, wrong %d ms (right %s, wrong %s)", median(right), median(wrong),
                right, wrong).isLessThan(200);
    }

    @Test
    void aDenyListedAddressIsRefusedBeforeThePasswordIsChecked() {
        Customer customer = customerSeenIn("198.51.100.33");

        HttpResponse<String> right = from("192.0.2.66").submitLogin(Attempt.fresh(), customer.email, PASSWORD);
        HttpResponse<String> wrong = from("192.0.2.66").submitLogin(Attempt.fresh(), customer.email, WRONG);

        assertSameAnswer(right, wrong);
        HttpResponse<String> keycloaks = from("198.51.100.33").submitLogin(Attempt.fresh(), "nobody-" + customer.email, WRONG);
        assertThat(right.statusCode()).isEqualTo(keycloaks.statusCode());
        // Only the step answering differs (the gate, not the password form): it shows the address is refused, never
        // whether the password was right.
        assertThat(visibleText(right)).as("Keycloak's own answer to a wrong password")
                .isEqualTo(visibleText(keycloaks).replace(formExecution(keycloaks), formExecution(right)))
                .contains("Invalid username or password");
        assertThat(admin.events("acme", customer.id, "LOGIN")).as("only the Berlin login").hasSize(1);
        JsonNode errors = admin.events("acme", customer.id, "LOGIN_ERROR");
        assertThat(errors).hasSize(2).allSatisfy(error -> {
            assertThat(error.path("error").asText()).as("no password was checked, right or wrong").isEqualTo("access_denied");
            assertThat(error.at("/details/risk_reasons").asText()).isEqualTo("ip_denied");
        });
        Pause.millis(1_000);
        assertThat(admin.bruteForceStatus("acme", customer.id).get("numFailures").asInt())
                .as("a checked wrong password would have counted").isZero();
    }

    @Test
    void aDenyListedIpv6NetworkIsRefusedTheSameWay() {
        Customer customer = customerSeenIn("198.51.100.34");

        assertSameAnswer(from("2001:db8:bad::34").submitLogin(Attempt.fresh(), customer.email, PASSWORD),
                from("2001:db8:bad::34").submitLogin(Attempt.fresh(), customer.email, WRONG));
        assertThat(admin.events("acme", customer.id, "LOGIN")).hasSize(1);
    }

    @Test
    @Tag("local-distribution")
    void anAddressOnTheServersListFileIsRefusedBeforeThePasswordIsChecked() {
        Customer customer = customerSeenIn("198.51.100.35");

        HttpResponse<String> right = from(LocalKeycloak.BAD_ADDRESS).submitLogin(Attempt.fresh(), customer.email, PASSWORD);
        HttpResponse<String> wrong = from(LocalKeycloak.BAD_ADDRESS).submitLogin(Attempt.fresh(), customer.email, WRONG);

        assertSameAnswer(right, wrong);
        assertThat(admin.events("acme", customer.id, "LOGIN")).hasSize(1);
        assertThat(admin.events("acme", customer.id, "LOGIN_ERROR")).hasSize(2)
                .allSatisfy(error -> assertThat(error.at("/details/risk_reasons").asText()).isEqualTo("ip_listed"));
    }

    @Test
    void passwordGrantsFromADenyListedAddressAreRefusedBeforeThePasswordIsChecked() {
        Customer customer = customerSeenIn("198.51.100.36");
        String cli = passwordGrantClient();

        HttpResponse<String> right = passwordGrant(cli, "192.0.2.66", customer.email, PASSWORD);
        HttpResponse<String> wrong = passwordGrant(cli, "192.0.2.66", customer.email, WRONG);
        // Keycloak's own answer to bad credentials, from an ordinary place (an unknown user: no failure counted)
        HttpResponse<String> keycloaks = passwordGrant(cli, "198.51.100.36", "nobody-" + customer.email, WRONG);

        assertThat(right.statusCode()).isEqualTo(400).isEqualTo(wrong.statusCode()).isEqualTo(keycloaks.statusCode());
        assertThat(right.body()).isEqualTo(wrong.body()).isEqualTo(keycloaks.body())
                .contains("invalid_grant").contains("Invalid user credentials");
        assertThat(admin.events("acme", customer.id, "LOGIN")).hasSize(1);
        assertThat(admin.events("acme", customer.id, "LOGIN_ERROR")).hasSize(2)
                .allSatisfy(error -> assertThat(error.path("error").asText()).isEqualTo("access_denied"));
        Pause.millis(1_000);
        assertThat(admin.bruteForceStatus("acme", customer.id).get("numFailures").asInt()).isZero();
    }

    @Test
    void passwordGrantsFromARiskyPlaceGetTheWrongPasswordAnswer() {
        Customer customer = customerSeenIn("198.18.0.37"); // an address GeoIP cannot place: no travel to judge
        String cli = passwordGrantClient();
        HttpResponse<String> usual = passwordGrant(cli, "198.18.0.37", customer.email, PASSWORD);
        assertThat(usual.statusCode()).as("an ordinary password grant").isEqualTo(200);

        // Paris: a new country and network for this customer, medium risk, which password grants refuse.
        HttpResponse<String> right = passwordGrant(cli, "2001:db8::37", customer.email, PASSWORD);
        Pause.millis(1_200);
        HttpResponse<String> wrong = passwordGrant(cli, "2001:db8::37", customer.email, WRONG);

        assertThat(right.statusCode()).isEqualTo(400).isEqualTo(wrong.statusCode());
        assertThat(right.body()).isEqualTo(wrong.body()).contains("Invalid user credentials");
        assertThat(cookieNames(right)).isEqualTo(cookieNames(wrong));
        JsonNode denial = admin.events("acme", customer.id, "LOGIN_ERROR").get(1);
        assertThat(denial.path("error").asText()).isEqualTo("access_denied");
        assertThat(denial.at("/details/risk_level").asText()).isEqualTo("medium");
        // (scored higher still: the refusal counted as a recent failure)
        assertThat(admin.events("acme", customer.id, "LOGIN_ERROR").get(0).at("/details/risk_reasons").asText())
                .as("the wrong password was scored too, before its check").contains("new_country");
        assertThat(awaitFailures(customer, 2)).isEqualTo(2);
    }

    private record Customer(String email, String id) {
    }

    /** A customer whose first, ordinary login was from {@code address} in another browser. */
    private Customer customerSeenIn(String address) {
        String email = "deny-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String id = admin.createUser("acme", email, PASSWORD, true);
        from(address).signIn(Attempt.fresh(), email, PASSWORD).code();
        return new Customer(email, id);
    }

    /** Status, page text, form and cookies: what a client can compare. */
    private static void assertSameAnswer(HttpResponse<String> right, HttpResponse<String> wrong) {
        assertThat(right.statusCode()).as("status").isEqualTo(wrong.statusCode());
        assertThat(right.headers().firstValue("Location")).as("no redirect").isEmpty();
        assertThat(wrong.headers().firstValue("Location")).isEmpty();
        assertThat(visibleText(right)).as("page text").isEqualTo(visibleText(wrong));
        assertThat(formFields(right)).as("form fields").isEqualTo(formFields(wrong));
        assertThat(cookieNames(right)).as("cookies set").isEqualTo(cookieNames(wrong));
    }

    /** The page as a user reads it; the values that differ for every login attempt (tab, client data) blanked. */
    private static String visibleText(HttpResponse<String> page) {
        return page.body().replaceAll("(?s)<script\\b.*?</script>|<[^>]+>", " ")
                .replaceAll("(tab_id|client_data|session_code)=[^&\"]*", "$1=").replaceAll("\\s+", " ").strip();
    }

    /** The names of the page's inputs, and the form action's query parameter names. */
    private static List<String> formFields(HttpResponse<String> page) {
        List<String> fields = new ArrayList<>();
        Matcher names = Pattern.compile("<input[^>]*name=\"([^\"]+)\"").matcher(page.body());
        while (names.find()) {
            fields.add(names.group(1));
        }
        Matcher action = FORM_ACTION.matcher(page.body());
        if (action.find()) {
            fields.add(action.group(1).replaceAll("=[^&]*", "="));
        }
        return fields;
    }

    private static String formExecution(HttpResponse<String> page) {
        Matcher action = FORM_ACTION.matcher(page.body());
        assertThat(action.find()).as("a login form").isTrue();
        return action.group(1).replaceAll(".*[?&;]execution=([^&]+).*", "$1");
    }

    private static List<String> cookieNames(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().map(c -> c.substring(0, c.indexOf('='))).sorted().toList();
    }

    private long timedLogin(OidcCodeFlow browser, String email, String password) {
        HttpResponse<String> page = loginPage(browser);
        long start = System.nanoTime();
        HttpResponse<String> answer = browser.submitForm(page, "kc-form-login", Map.of("username", email,
                "password", password, "credentialId", ""));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(visibleText(answer)).contains("Invalid username or password");
        return millis;
    }

    private static HttpResponse<String> loginPage(OidcCodeFlow browser) {
        HttpResponse<String> page = browser.send("GET", browser.authorizationUrl(Attempt.fresh()), Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        return page;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private int awaitFailures(Customer customer, int expected) {
        Instant deadline = Instant.now().plusSeconds(10);
        int failures = admin.bruteForceStatus("acme", customer.id).get("numFailures").asInt();
        while (failures < expected && Instant.now().isBefore(deadline)) {
            Pause.millis(200);
            failures = admin.bruteForceStatus("acme", customer.id).get("numFailures").asInt();
        }
        return failures;
    }

    private String passwordGrantClient() {
        String cli = "acme-cli-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode client = Http.JSON.createObjectNode().put("clientId", cli).put("publicClient", true)
                .put("standardFlowEnabled", false).put("directAccessGrantsEnabled", true);
        assertThat(admin.send("POST", "/realms/acme/clients", client).statusCode()).isEqualTo(201);
        return cli;
    }

    private HttpResponse<String> passwordGrant(String clientId, String forwardedFor, String username, String password) {
        return Http.send(HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", forwardedFor)
                .POST(Http.form(Map.of("grant_type", "password", "client_id", clientId, "username", username,
                        "password", password, "scope", "openid")))
                .build());
    }


    private OidcCodeFlow from(String forwardedFor) {
        return new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", forwardedFor);
    }
}
