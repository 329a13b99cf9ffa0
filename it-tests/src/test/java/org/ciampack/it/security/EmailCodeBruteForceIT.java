package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.CiamIntegrationTest;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.Mailbox;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.ServerUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The e-mail code step-up of the demo realm cannot be guessed without limit: wrong codes count for Keycloak's
 * brute-force detection (5 failures in the demo realm) exactly as wrong OTP codes do, a locked user is refused,
 * the events name the user, and one sign-in attempt gets at most 3 codes. Medium risk is played by a customer
 * who signed in once from an address GeoIP cannot place and now comes from Paris in another browser.
 */
@CiamIntegrationTest
class EmailCodeBruteForceIT {

    private static final URI APP = URI.create("http://localhost:5173/callback");
    private static final String PASSWORD = "Correct-Horse-42";
    private static final String CODE_FORM = "ciam-email-otp-form";
    private static final String SUBJECT = "Your sign-in code";
    private static final String SECOND_FACTOR_FLOW = "ciam step-up second factor";

    private AdminApi admin;
    private Mailbox mailbox;
    private URI realm;
    private String email;
    private String userId;
    private JsonNode originalCodeConfig;

    @BeforeEach
    void customerWithoutAnApp(ServerUnderTest server, AdminApi admin, Mailbox mailbox) {
        this.admin = admin;
        this.mailbox = mailbox;
        realm = server.realmUrl("acme");
        email = "code-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        userId = admin.createUser("acme", email, PASSWORD, true);
        originalCodeConfig = admin.stepConfig("acme", SECOND_FACTOR_FLOW, "ciam-email-otp");
        from("198.18.0.61").signIn(Attempt.fresh(), email, PASSWORD).code();
    }

    @AfterEach
    void restoreCodeConfig() {
        admin.updateStepConfig("acme", originalCodeConfig);
    }

    @Test
    void theRightCodeAtTheFirstTrySignsInToTheApp() {
        OidcCodeFlow paris = from("2001:db8::61");
        Attempt attempt = Attempt.fresh();
        HttpResponse<String> stepUp = paris.follow(paris.submitLogin(attempt, email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(stepUp, CODE_FORM)).as("e-mail code step-up").isTrue();

        OidcCodeFlow.Callback callback = paris.callbackFrom(paris.follow(paris.submitForm(stepUp, CODE_FORM,
                Map.of("code", latestCode(1)))));

        assertThat(callback.parameters()).containsEntry("state", attempt.state());
        assertThat(paris.tokens(callback.code(), attempt.codeVerifier()).get("access_token").asText()).isNotBlank();
        assertThat(admin.events("acme", userId, "LOGIN").get(0).at("/details/risk_level").asText()).isEqualTo("medium");
        assertThat(admin.bruteForceStatus("acme", userId).get("numFailures").asInt()).isZero();
    }

    @Test
    void wrongCodesCountForBruteForceDetectionUntilTheUserIsLockedOut() throws InterruptedException {
        ObjectNode noWait = originalCodeConfig.deepCopy(); // the code after the lock comes as soon as asked for
        ((ObjectNode) noWait.get("config")).put("resend-after-seconds", "0");
        admin.updateStepConfig("acme", noWait);
        OidcCodeFlow paris = from("2001:db8::62");
        HttpResponse<String> page = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(page, CODE_FORM)).isTrue();

        for (int wrong = 1; wrong <= 5; wrong++) {
            // Slower than the realm's quick-login check (1 s), so each failure counts on its own.
            Thread.sleep(1_200);
            page = paris.submitForm(page, CODE_FORM, Map.of("code", "000000"));
            assertThat(page.headers().firstValue("Location")).isEmpty();
            assertThat(OidcCodeFlow.hasForm(page, CODE_FORM)).isTrue();
            int expected = wrong;
            assertThat(awaitBruteForce(s -> s.get("numFailures").asInt() >= expected).get("numFailures").asInt())
                    .as("failures after %d wrong codes", wrong).isEqualTo(wrong);
        }
        assertThat(awaitBruteForce(s -> s.get("disabled").asBoolean()).get("disabled").asBoolean())
                .as("5 failures lock the user").isTrue();

        JsonNode errors = admin.events("acme", userId, "LOGIN_ERROR");
        assertThat(errors).as("the wrong codes are in the user's events").hasSizeGreaterThanOrEqualTo(5);
        assertThat(errors.get(0).get("userId").asText()).isEqualTo(userId);
        assertThat(errors).filteredOn(e -> "invalid_user_credentials".equals(e.path("error").asText())).hasSize(5);

        // The 5th wrong code burnt the code and locked the user: no new code is mailed to a locked user.
        assertThat(page.body()).contains("That code is not right").doesNotContain("We sent you a new one");
        Pause.millis(2_000); // a second mail would be on its way now
        assertThat(codeMails()).as("codes mailed up to the lock").hasSize(1);

        // Locked: the code mailed, the way to ask for another and the right password are all refused.
        HttpResponse<String> mailedCode = paris.submitForm(page, CODE_FORM, Map.of("code", latestCode(1)));
        assertThat(mailedCode.headers().firstValue("Location")).as("no way to the app").isEmpty();
        assertThat(mailedCode.body()).contains("That code is not right");
        HttpResponse<String> resend = paris.submitForm(mailedCode, CODE_FORM, Map.of("resend", ""));
        assertThat(resend.body()).contains("That code is not right");
        Pause.millis(2_000);
        assertThat(codeMails()).as("codes mailed to the locked user").hasSize(1);
        assertThat(admin.events("acme", userId, "LOGIN")).as("only the first, ordinary login").hasSize(1);
        assertThat(admin.events("acme", userId, "LOGIN_ERROR").get(0).path("error").asText())
                .isEqualTo("user_temporarily_disabled");

        HttpResponse<String> password = from("198.18.0.61").submitLogin(Attempt.fresh(), email, PASSWORD);
        assertThat(password.headers().firstValue("Location")).isEmpty();
        assertThat(password.body()).contains("Invalid username or password");
        assertThat(admin.events("acme", userId, "LOGIN")).hasSize(1);

        // The lock over (an admin lifts it), the same sign-in goes on: its next answer mails one new code, which
        // signs in; the burnt code's spent tries lock nobody again.
        assertThat(admin.send("DELETE", "/realms/acme/attack-detection/brute-force/users/" + userId, null)
                .statusCode()).isEqualTo(204);
        HttpResponse<String> after = paris.submitForm(resend, CODE_FORM, Map.of("code", latestCode(1)));
        assertThat(after.body()).contains("We sent you a new code");
        paris.callbackFrom(paris.follow(paris.submitForm(after, CODE_FORM, Map.of("code", latestCode(2)))));
        assertThat(admin.events("acme", userId, "LOGIN")).hasSize(2);
    }

    /**
     * The code page loaded again asks for the code mailed before: no new mail. A browser's reload of the sign-in
     * is a GET of the flow's page with its tab (the address Keycloak's own refresh goes to).
     */
    @Test
    void reloadingTheCodePageMailsNoNewCode() {
        OidcCodeFlow paris = from("2001:db8::64");
        HttpResponse<String> page = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(page, CODE_FORM)).isTrue();
        String code = latestCode(1);
        Matcher tab = Pattern.compile("tab_id=([A-Za-z0-9_-]+)").matcher(page.body());
        assertThat(tab.find()).as("the page's tab").isTrue();
        URI reload = URI.create(realm + "/login-actions/authenticate?client_id=acme-web&tab_id=" + tab.group(1));
        for (int time = 0; time < 3; time++) {
            page = paris.send("GET", reload, Map.of());
            assertThat(OidcCodeFlow.hasForm(page, CODE_FORM)).as(page.body()).isTrue();
        }
        Pause.millis(2_000); // a second mail would be on its way now
        assertThat(codeMails()).as("codes mailed for one sign-in whose page was loaded four times").hasSize(1);
        paris.callbackFrom(paris.follow(paris.submitForm(page, CODE_FORM, Map.of("code", code))));
    }

    /**
     * A user locked by brute-force detection (here by wrong passwords from elsewhere) is mailed no code while the
     * lock lasts: the code page loaded again after its code expired asks for a code and mails none.
     */
    @Test
    void aLockedUserIsMailedNoNewCode() throws InterruptedException {
        ObjectNode shortLived = originalCodeConfig.deepCopy();
        ((ObjectNode) shortLived.get("config")).put("ttl-seconds", "30");
        admin.updateStepConfig("acme", shortLived);
        OidcCodeFlow paris = from("2001:db8::66");
        HttpResponse<String> page = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(page, CODE_FORM)).isTrue();
        latestCode(1);
        Instant mailed = Instant.now();

        for (int wrong = 1; wrong <= 5; wrong++) {
            Thread.sleep(1_200); // slower than the realm's quick-login check, so each failure counts on its own
            from("198.18.0.61").submitLogin(Attempt.fresh(), email, "Wrong-Horse-" + wrong);
        }
        assertThat(awaitBruteForce(s -> s.get("disabled").asBoolean()).get("disabled").asBoolean())
                .as("5 wrong passwords lock the user").isTrue();

        Pause.millis(Math.max(0, Duration.between(Instant.now(), mailed.plusSeconds(32)).toMillis())); // the code expired
        Matcher tab = Pattern.compile("tab_id=([A-Za-z0-9_-]+)").matcher(page.body());
        assertThat(tab.find()).as("the page's tab").isTrue();
        page = paris.send("GET", URI.create(realm + "/login-actions/authenticate?client_id=acme-web&tab_id="
                + tab.group(1)), Map.of());
        assertThat(OidcCodeFlow.hasForm(page, CODE_FORM)).as(page.body()).isTrue();
        Pause.millis(2_000); // a second mail would be on its way now
        assertThat(codeMails()).as("codes mailed to a locked user whose code expired").hasSize(1);
    }

    @Test
    void aSignInAttemptGetsAtMostThreeCodesThenFails() {
        ObjectNode noWait = originalCodeConfig.deepCopy();
        ((ObjectNode) noWait.get("config")).put("resend-after-seconds", "0");
        admin.updateStepConfig("acme", noWait);

        OidcCodeFlow paris = from("2001:db8::63");
        HttpResponse<String> page = signInAskingForCodes(paris, 3);
        latestCode(3);
        HttpResponse<String> fourth = paris.submitForm(page, CODE_FORM, Map.of("resend", ""));

        assertThat(fourth.statusCode()).isEqualTo(400);
        assertThat(fourth.body()).contains("That was the last code for this sign-in").doesNotContain("id=\"" + CODE_FORM + "\"");
        Pause.millis(2_000); // a fourth mail would be on its way now
        assertThat(codeMails()).as("codes mailed for one sign-in attempt").hasSize(3);

        // The flow has failed: even the last code mailed no longer signs in.
        HttpResponse<String> late = paris.submitForm(page, CODE_FORM, Map.of("code", latestCode(3)));
        assertThat(late.headers().firstValue("Location").orElse("")).doesNotStartWith(APP.toString());
        assertThat(admin.events("acme", userId, "LOGIN")).as("only the first, ordinary login").hasSize(1);
        assertThat(admin.events("acme", userId, "LOGIN_ERROR"))
                .anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("email_otp_codes_used_up"));

        // A new sign-in, password first, gets codes again.
        OidcCodeFlow again = from("2001:db8::63");
        HttpResponse<String> fresh = again.follow(again.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(fresh, CODE_FORM)).isTrue();
        again.callbackFrom(again.follow(again.submitForm(fresh, CODE_FORM, Map.of("code", latestCode(4)))));
    }

    /**
     * Whoever knows the password can start sign-in after sign-in, each with its own few codes: the customer's
     * mailbox still gets at most the day's codes (4 here), and a sign-in beyond them is told so and ends, without a
     * mail and without counting as a failure for brute-force detection.
     */
    @Test
    void aCustomerGetsAtMostTheDaysCodesWhateverTheSignIns() {
        ObjectNode fourADay = originalCodeConfig.deepCopy();
        ((ObjectNode) fourADay.get("config")).put("resend-after-seconds", "0").put("max-codes-per-day", "4");
        admin.updateStepConfig("acme", fourADay);

        signInAskingForCodes(from("2001:db8::65"), 3);
        latestCode(3);

        OidcCodeFlow second = from("2001:db8::65");
        HttpResponse<String> secondPage = second.follow(second.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(secondPage, CODE_FORM)).as("a new sign-in's first code").isTrue();
        latestCode(4);
        HttpResponse<String> fifth = second.submitForm(secondPage, CODE_FORM, Map.of("resend", ""));
        assertThat(fifth.statusCode()).isEqualTo(429);
        assertThat(fifth.body()).contains("too many sign-in codes today");

        OidcCodeFlow third = from("2001:db8::65");
        HttpResponse<String> refused = third.follow(third.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("too many sign-in codes today").doesNotContain("id=\"" + CODE_FORM + "\"");

        Pause.millis(2_000); // a fifth mail would be on its way now
        assertThat(codeMails()).as("codes mailed to the customer over three sign-ins").hasSize(4);
        assertThat(admin.events("acme", userId, "LOGIN_ERROR"))
                .filteredOn(e -> e.path("error").asText().equals("email_otp_daily_limit")).hasSize(2);
        assertThat(awaitBruteForce(status -> false).path("numFailures").asInt()).as("no failure counted").isZero();

        // The sign-in that met the limit has ended: even its code, mailed before, no longer signs in.
        HttpResponse<String> late = second.submitForm(secondPage, CODE_FORM, Map.of("code", latestCode(4)));
        assertThat(late.headers().firstValue("Location").orElse("")).doesNotStartWith(APP.toString());
        assertThat(admin.events("acme", userId, "LOGIN")).as("only the first, ordinary login").hasSize(1);
    }

    /**
     * Guesses sent all at once get no more tries than guesses one after the other, also where the realm's brute-force
     * detection is off (each code's tries are then all that stops a guesser who has the password): Keycloak's page
     * code is single use, so of 12 wrong codes sent at once with one code page one (rarely two, its check is not
     * atomic) is compared and counted, and the others are sent back to the page unchecked. The burst cost fewer than
     * the code's 5 tries: no new code is mailed and the code mailed still signs in. (The tries themselves are taken
     * atomically in Keycloak's single-use store, so guesses that pass together never get more: SlotsTest.)
     */
    @Test
    void guessesSentAllAtOnceAreCheckedOneAtATime() throws Exception {
        boolean bruteForce = admin.get("/realms/acme").get("bruteForceProtected").asBoolean();
        admin.send("PUT", "/realms/acme", Http.JSON.createObjectNode().put("bruteForceProtected", false));
        try {
            guessAllAtOnce();
        } finally {
            assertThat(admin.send("PUT", "/realms/acme", Http.JSON.createObjectNode()
                    .put("bruteForceProtected", bruteForce)).statusCode()).as("brute-force detection restored")
                    .isEqualTo(204);
        }
    }

    private void guessAllAtOnce() throws Exception {
        OidcCodeFlow paris = from("2001:db8::66");
        HttpResponse<String> page = paris.follow(paris.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(page, CODE_FORM)).isTrue();
        String code = latestCode(1);
        String wrong = code.equals("000000") ? "111111" : "000000";

        List<HttpResponse<String>> answers = new ArrayList<>();
        ExecutorService guessers = Executors.newFixedThreadPool(12);
        try {
            CountDownLatch ready = new CountDownLatch(12);
            HttpResponse<String> codePage = page;
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int guess = 0; guess < 12; guess++) {
                sent.add(guessers.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return paris.submitForm(codePage, CODE_FORM, Map.of("code", wrong));
                }));
            }
            for (Future<HttpResponse<String>> answer : sent) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            guessers.shutdownNow();
        }

        List<HttpResponse<String>> checked = answers.stream()
                .filter(answer -> answer.body().contains("That code is not right")).toList();
        List<HttpResponse<String>> sentBack = answers.stream().filter(answer -> answer.statusCode() == 302
                && answer.headers().firstValue("Location").orElse("").startsWith(realm + "/login-actions/authenticate"))
                .toList();
        assertThat(checked).as("guesses compared with the code, of 12 sent at once").hasSizeBetween(1, 4);
        assertThat(sentBack).as("the others, sent back to the code page unchecked").hasSize(12 - checked.size());
        Pause.millis(2_000); // a new code would be on its way now
        assertThat(codeMails()).as("no new code: the burst did not use up the code's tries").hasSize(1);

        HttpResponse<String> again = paris.follow(sentBack.get(0));
        assertThat(OidcCodeFlow.hasForm(again, CODE_FORM)).as("the code page again").isTrue();
        OidcCodeFlow.Callback callback = paris.callbackFrom(paris.follow(paris.submitForm(again, CODE_FORM,
                Map.of("code", code))));
        assertThat(callback.code()).isNotBlank();
    }

    /** Signs in with the password and asks for new codes until this sign-in has had {@code codes}; its code page. */
    private HttpResponse<String> signInAskingForCodes(OidcCodeFlow browser, int codes) {
        HttpResponse<String> page = browser.follow(browser.submitLogin(Attempt.fresh(), email, PASSWORD));
        assertThat(OidcCodeFlow.hasForm(page, CODE_FORM)).isTrue();
        for (int code = 2; code <= codes; code++) {
            page = browser.submitForm(page, CODE_FORM, Map.of("resend", ""));
            assertThat(page.body()).contains("We sent you a new code");
        }
        return page;
    }

    /** The code of the n-th sign-in code mail (1-based), waiting for it to arrive. */
    private String latestCode(int nth) {
        mailbox.await(email, m -> codeMails().size() >= nth, Duration.ofSeconds(30));
        List<Mailbox.Mail> mails = codeMails();
        assertThat(mails).hasSize(nth);
        return mails.get(nth - 1).text().replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
    }

    private List<Mailbox.Mail> codeMails() {
        return mailbox.inbox(email).stream().filter(m -> m.subject().equals(SUBJECT)).toList();
    }

    /** Keycloak records failures off the request thread: waits (up to 10 s) for the record to show it. */
    private JsonNode awaitBruteForce(Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plusSeconds(10);
        JsonNode status = admin.bruteForceStatus("acme", userId);
        while (!condition.test(status) && Instant.now().isBefore(deadline)) {
            Pause.millis(200);
            status = admin.bruteForceStatus("acme", userId);
        }
        return status;
    }


    private OidcCodeFlow from(String forwardedFor) {
        return new OidcCodeFlow(realm, "acme-web", APP).header("X-Forwarded-For", forwardedFor);
    }
}
