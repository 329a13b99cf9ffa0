package org.ciampack.risk.stepup;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.ciampack.common.FlowStep;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A one-time code sent to the user's verified e-mail address: the step-up for customers who have no
 * authenticator app or passkey. Codes expire; wrong codes count for the realm's brute-force detection like wrong
 * OTP codes (the factory's category is "otp") and a locked user is refused; a login attempt gets only a few codes,
 * then the flow fails and the user starts over with the password.
 */
final class EmailOtpAuthenticator extends FlowStep {

    private static final Logger LOG = Logger.getLogger(EmailOtpAuthenticator.class);
    private static final String HASH = "ciam.email-otp.hash";
    private static final String EXPIRES = "ciam.email-otp.expires";
    private static final String ATTEMPTS = "ciam.email-otp.attempts";
    /** The mailed code's own id, which its tries are counted under ({@link Slots}). */
    private static final String CODE_ID = "ciam.email-otp.code-id";
    private static final String SENT = "ciam.email-otp.sent";
    /** The key of this sign-in's codes in the single-use store. */
    private static final String SIGN_IN = "ciam.email-otp.sign-in";
    private static final String USED_UP = "ciam.email-otp.used-up";
    /** Event error when a login attempt has had all its codes. */
    static final String CODES_USED_UP = "email_otp_codes_used_up";
    /** Event error when the customer has had all their codes for the day. */
    static final String DAILY_LIMIT = "email_otp_daily_limit";
    private static final String FORM = "ciam-email-otp.ftl";

    /**
     * Mails a code, unless the code mailed before in this sign-in is still good: the page shown again (a reload, a
     * way back from "try another way") asks for that code instead of filling the customer's mailbox. A user locked
     * by brute-force detection is mailed none (no code of theirs is accepted meanwhile): the page comes, unchanged,
     * and its guesses are refused as wrong codes.
     */
    @Override
    public void authenticate(AuthenticationFlowContext context) {
        EmailOtpSettings settings = EmailOtpSettings.of(context.getAuthenticatorConfig());
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (authSession.getAuthNote(USED_UP) != null) { // an ended attempt stays ended, the page loaded again too
            usedUp(context, Ending.of(authSession.getAuthNote(USED_UP)), false);
            return;
        }
        boolean mailedAndGood = authSession.getAuthNote(HASH) != null
                && System.currentTimeMillis() <= number(authSession.getAuthNote(EXPIRES));
        if (!mailedAndGood && !lockedOut(context) && !send(context, settings, false)) {
            return;
        }
        context.challenge(form(context).createForm(FORM));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        EmailOtpSettings settings = EmailOtpSettings.of(context.getAuthenticatorConfig());
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        MultivaluedMap<String, String> input = context.getHttpRequest().getDecodedFormParameters();
        long now = System.currentTimeMillis();

        if (authSession.getAuthNote(USED_UP) != null) {
            usedUp(context, Ending.of(authSession.getAuthNote(USED_UP)), false);
            return;
        }
        String locked = AuthenticatorUtils.getDisabledByBruteForceEventError(context, context.getUser());
        if (locked != null) {
            // Refused like a wrong code, without looking at it: a locked user's guesses prove nothing and are not counted.
            context.getEvent().user(context.getUser()).error(locked);
            context.forceChallenge(form(context).addError(new FormMessage("code", "ciamEmailOtpInvalid")).createForm(FORM));
            return;
        }
        if (input.containsKey("resend")) {
            if (now - number(authSession.getAuthNote(SENT)) < settings.resendAfterSeconds() * 1000L) {
                context.challenge(form(context).setError("ciamEmailOtpWait").createForm(FORM));
            } else if (send(context, settings, false)) {
                context.challenge(form(context).setInfo("ciamEmailOtpResent").createForm(FORM));
            }
            return;
        }
        if (authSession.getAuthNote(HASH) == null) {
            // The last code was burnt with none mailed in its place, as the user was being locked out: one now,
            // as a resend would (no sooner than a resend may).
            if (now - number(authSession.getAuthNote(SENT)) < settings.resendAfterSeconds() * 1000L) {
                context.challenge(form(context).setError("ciamEmailOtpWait").createForm(FORM));
            } else if (send(context, settings, false)) {
                context.challenge(form(context).setInfo("ciamEmailOtpResent").createForm(FORM));
            }
            return;
        }
        if (now > number(authSession.getAuthNote(EXPIRES))) {
            if (send(context, settings, false)) {
                context.challenge(form(context).setError("ciamEmailOtpExpired").createForm(FORM));
            }
            return;
        }
        String codeId = authSession.getAuthNote(CODE_ID);
        OptionalInt tried = codeId == null ? OptionalInt.of((int) number(authSession.getAuthNote(ATTEMPTS)) + 1)
                : Slots.take(context.getSession().singleUseObjects(), "ciam.email-otp.try." + codeId,
                        settings.maxAttempts(), settings.ttlSeconds() + 60L);
        if (tried.isEmpty()) {
            // Guesses sent at the same time took this code's last tries; the one that took the last has burnt it (and
            // mailed a new code, unless that locked the user). This guess is not compared, and counts like a wrong one.
            context.getEvent().user(context.getUser()).error(Errors.INVALID_USER_CREDENTIALS);
            context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                    form(context).addError(new FormMessage("code", "ciamEmailOtpInvalid")).createForm(FORM));
            return;
        }
        if (OneTimeCode.matches(input.getFirst("code"), salt(context), authSession.getAuthNote(HASH))) {
            clear(authSession);
            context.success();
            return;
        }
        int attempts = tried.getAsInt();
        authSession.setAuthNote(ATTEMPTS, String.valueOf(attempts));
        context.getEvent().user(context.getUser()).error(Errors.INVALID_USER_CREDENTIALS);
        if (attempts >= settings.maxAttempts()) {
            // The old code is burnt, whether or not a new one can be mailed: guessing on needs a new code each few
            // tries, and there are only so many.
            authSession.removeAuthNote(HASH);
            if (locksTheUser(context)) {
                // No code for a user this failure locks out: it could not be used, and mails nothing to the owner of
                // the address while someone guesses. After the lock, the page mails one when loaded or asked.
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                        form(context).addError(new FormMessage("code", "ciamEmailOtpInvalid")).createForm(FORM));
                return;
            }
            if (send(context, settings, true)) {
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                        form(context).setError("ciamEmailOtpTooMany").createForm(FORM));
            }
            return;
        }
        context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                form(context).addError(new FormMessage("code", "ciamEmailOtpInvalid")).createForm(FORM));
    }

    /**
     * Issues and mails a new code; returns false when it did not (the login attempt has had all its codes, or the
     * mail failed) and has answered the request itself.
     */
    private static boolean send(AuthenticationFlowContext context, EmailOtpSettings settings, boolean afterWrongCode) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String signIn = authSession.getAuthNote(SIGN_IN);
        if (signIn == null) {
            signIn = "ciam.email-otp.sign-in." + java.util.UUID.randomUUID();
            authSession.setAuthNote(SIGN_IN, signIn);
        }
        // The sign-in's codes are taken where requests at the same time cannot both take the last one.
        SingleUseObjectProvider store = context.getSession().singleUseObjects();
        // Kept a day: a sign-in's login session lasts as long as its pages keep coming, longer than any one lifespan.
        OptionalInt nth = Slots.take(store, signIn, settings.maxCodes(), DailyCodes.WINDOW_SECONDS);
        if (nth.isEmpty()) {
            end(context, Ending.SIGN_IN, afterWrongCode);
            return false;
        }
        Optional<String> slot = DailyCodes.take(context.getSession(), context.getRealm(), context.getUser(),
                settings.maxCodesPerDay());
        if (slot.isEmpty()) {
            LOG.debugf("Realm %s: user %s has had all %d sign-in codes of the day", context.getRealm().getName(),
                    context.getUser().getId(), settings.maxCodesPerDay());
            Slots.giveBack(store, signIn, nth.getAsInt());
            end(context, Ending.DAY, afterWrongCode);
            return false;
        }
        String code = OneTimeCode.generate(settings.digits());
        long now = System.currentTimeMillis();
        authSession.setAuthNote(HASH, OneTimeCode.hash(code, salt(context)));
        authSession.setAuthNote(EXPIRES, String.valueOf(now + settings.ttlSeconds() * 1000L));
        authSession.setAuthNote(ATTEMPTS, "0");
        authSession.setAuthNote(CODE_ID, java.util.UUID.randomUUID().toString());
        authSession.setAuthNote(SENT, String.valueOf(now));
        // Keycloak adds its own attributes (user, realm, locale) to this map: it must be mutable.
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("code", code);
        attributes.put("ttlMinutes", Math.max(1, settings.ttlSeconds() / 60));
        try {
            context.getSession().getProvider(EmailTemplateProvider.class)
                    .setRealm(context.getRealm())
                    .setUser(context.getUser())
                    .setAuthenticationSession(authSession)
                    .send("ciamEmailOtpSubject", new ArrayList<>(), FORM, attributes);
            return true;
        } catch (EmailException e) {
            LOG.warnf("Realm %s: the sign-in code could not be mailed: %s%s", context.getRealm().getName(), e.getMessage(),
                    e.getCause() == null ? "" : " (" + e.getCause() + ")");
            notSent(context, slot.get(), signIn, nth.getAsInt());
            jakarta.ws.rs.core.Response page = context.form().setError("emailSendErrorMessage")
                    .createErrorPage(jakarta.ws.rs.core.Response.Status.INTERNAL_SERVER_ERROR);
            if (afterWrongCode) { // the wrong code that led here still counts for brute-force detection
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, page);
            } else { // not the user's failure
                context.getEvent().user(context.getUser()).error(Errors.EMAIL_SEND_FAILED);
                context.forceChallenge(page);
            }
            return false;
        } catch (RuntimeException e) { // a template or provider that failed: no mail either
            notSent(context, slot.get(), signIn, nth.getAsInt());
            throw e;
        }
    }

    /** No code went out: none is asked for, and it costs none of the day's or the sign-in's codes. */
    private static void notSent(AuthenticationFlowContext context, String dailySlot, String signIn, int signInSlot) {
        DailyCodes.giveBack(context.getSession(), dailySlot);
        Slots.giveBack(context.getSession().singleUseObjects(), signIn, signInSlot);
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.removeAuthNote(HASH);
        authSession.removeAuthNote(EXPIRES);
        authSession.removeAuthNote(SENT);
    }

    /** Why a sign-in attempt gets no more codes: its own few are used up, or the customer's for the day. */
    enum Ending {
        SIGN_IN(CODES_USED_UP, "ciamEmailOtpUsedUp", jakarta.ws.rs.core.Response.Status.BAD_REQUEST),
        DAY(DAILY_LIMIT, "ciamEmailOtpDailyLimit", jakarta.ws.rs.core.Response.Status.TOO_MANY_REQUESTS);

        private final String eventError;
        private final String message;
        private final jakarta.ws.rs.core.Response.Status status;

        Ending(String eventError, String message, jakarta.ws.rs.core.Response.Status status) {
            this.eventError = eventError;
            this.message = message;
            this.status = status;
        }

        static Ending of(String name) {
            return DAY.name().equals(name) ? DAY : SIGN_IN;
        }
    }

    /** Ends the attempt's codes: the code in hand is burnt too, so no guess goes on against it. */
    private static void end(AuthenticationFlowContext context, Ending ending, boolean afterWrongCode) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(USED_UP, ending.name());
        authSession.removeAuthNote(HASH);
        usedUp(context, ending, afterWrongCode);
    }

    /**
     * The attempt has had all its codes: it ends on an error page and every later request of it gets the same answer;
     * only a new sign-in, password first, gets new codes. Counted for brute-force detection only when a wrong code
     * ended it: asking for a code is no guess.
     */
    private static void usedUp(AuthenticationFlowContext context, Ending ending, boolean afterWrongCode) {
        if (!afterWrongCode) {
            context.getEvent().user(context.getUser()).error(ending.eventError);
        }
        jakarta.ws.rs.core.Response page = context.form().setError(ending.message).createErrorPage(ending.status);
        if (afterWrongCode) {
            context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, page);
        } else {
            context.forceChallenge(page);
        }
    }

    /**
     * The sign-in and the user a code is for: a code mailed to one account is no good for another that the same
     * sign-in comes to (a second identity-provider login in the same tab).
     */
    private static String salt(AuthenticationFlowContext context) {
        return context.getAuthenticationSession().getParentSession().getId() + "/" + context.getUser().getId();
    }

    private static boolean lockedOut(AuthenticationFlowContext context) {
        return AuthenticatorUtils.getDisabledByBruteForceEventError(context, context.getUser()) != null;
    }

    /**
     * Whether the failure this request records brings the user to the realm's failure factor, where Keycloak's
     * brute-force detection locks them (it books the failure after the answer, on its own thread). Failures it would
     * forget first (older than the realm's failure reset time) are not looked at: then no code is mailed now, and the
     * page mails one when loaded again or asked.
     */
    static boolean locksTheUser(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        if (!realm.isBruteForceProtected()) {
            return false;
        }
        UserLoginFailureModel failures = context.getSession().loginFailures()
                .getUserLoginFailure(realm, context.getUser().getId());
        return wouldLock(failures == null ? 0 : failures.getNumFailures(), realm.getFailureFactor());
    }

    static boolean wouldLock(int failuresBefore, int failureFactor) {
        return failureFactor > 0 && failuresBefore + 1 >= failureFactor;
    }

    private static org.keycloak.forms.login.LoginFormsProvider form(AuthenticationFlowContext context) {
        return context.form().setAttribute("maskedEmail", OneTimeCode.mask(context.getUser().getEmail()));
    }

    private static void clear(AuthenticationSessionModel authSession) {
        for (String note : new String[] {HASH, EXPIRES, ATTEMPTS, CODE_ID, SENT, SIGN_IN}) {
            authSession.removeAuthNote(note);
        }
    }

    private static long number(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    /** Only for a verified address: a code to an unverified one proves nothing. */
    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return user.getEmail() != null && user.isEmailVerified();
    }
}
