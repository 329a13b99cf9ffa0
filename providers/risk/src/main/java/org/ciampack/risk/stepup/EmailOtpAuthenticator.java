package org.ciampack.risk.stepup;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A one-time code sent to the user's verified e-mail address: the step-up for customers who have no
 * authenticator app or passkey. Codes expire, wrong guesses are limited (and counted by brute-force detection),
 * and new codes can be asked for only so often.
 */
final class EmailOtpAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(EmailOtpAuthenticator.class);
    private static final String HASH = "ciam.email-otp.hash";
    private static final String EXPIRES = "ciam.email-otp.expires";
    private static final String ATTEMPTS = "ciam.email-otp.attempts";
    private static final String SENT = "ciam.email-otp.sent";
    private static final String FORM = "ciam-email-otp.ftl";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        EmailOtpSettings settings = EmailOtpSettings.of(context.getAuthenticatorConfig());
        if (!send(context, settings)) {
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

        if (input.containsKey("resend")) {
            if (now - number(authSession.getAuthNote(SENT)) < settings.resendAfterSeconds() * 1000L) {
                context.challenge(form(context).setError("ciamEmailOtpWait").createForm(FORM));
            } else if (send(context, settings)) {
                context.challenge(form(context).setInfo("ciamEmailOtpResent").createForm(FORM));
            }
            return;
        }
        if (now > number(authSession.getAuthNote(EXPIRES))) {
            if (send(context, settings)) {
                context.challenge(form(context).setError("ciamEmailOtpExpired").createForm(FORM));
            }
            return;
        }
        if (OneTimeCode.matches(input.getFirst("code"), authSession.getParentSession().getId(), authSession.getAuthNote(HASH))) {
            clear(authSession);
            context.success();
            return;
        }
        int attempts = (int) number(authSession.getAuthNote(ATTEMPTS)) + 1;
        authSession.setAuthNote(ATTEMPTS, String.valueOf(attempts));
        context.getEvent().error(Errors.INVALID_USER_CREDENTIALS);
        if (attempts >= settings.maxAttempts()) {
            // The old code is burnt: guessing on needs a new code each few tries.
            if (send(context, settings)) {
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                        form(context).setError("ciamEmailOtpTooMany").createForm(FORM));
            }
            return;
        }
        context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                form(context).addError(new FormMessage("code", "ciamEmailOtpInvalid")).createForm(FORM));
    }

    /** Issues and mails a new code; on a mail failure shows the error and returns false. */
    private static boolean send(AuthenticationFlowContext context, EmailOtpSettings settings) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String code = OneTimeCode.generate(settings.digits());
        long now = System.currentTimeMillis();
        authSession.setAuthNote(HASH, OneTimeCode.hash(code, authSession.getParentSession().getId()));
        authSession.setAuthNote(EXPIRES, String.valueOf(now + settings.ttlSeconds() * 1000L));
        authSession.setAuthNote(ATTEMPTS, "0");
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
            context.getEvent().error(Errors.EMAIL_SEND_FAILED);
            context.failureChallenge(AuthenticationFlowError.INTERNAL_ERROR,
                    context.form().setError("emailSendErrorMessage").createErrorPage(jakarta.ws.rs.core.Response.Status.INTERNAL_SERVER_ERROR));
            return false;
        }
    }

    private static org.keycloak.forms.login.LoginFormsProvider form(AuthenticationFlowContext context) {
        return context.form().setAttribute("maskedEmail", OneTimeCode.mask(context.getUser().getEmail()));
    }

    private static void clear(AuthenticationSessionModel authSession) {
        for (String note : new String[] {HASH, EXPIRES, ATTEMPTS, SENT}) {
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

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
