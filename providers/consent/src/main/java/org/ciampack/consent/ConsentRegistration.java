package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.FormContext;
import org.keycloak.authentication.ValidationContext;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The realm's consent purposes on the registration page: a new user decides in the same step, required ones must
 * be ticked (field errors otherwise), and the receipts are written with the new account. A login theme without the
 * pack's registration fields (the {@code ciam} theme's {@code register-commons.ftl}) cannot show them: where the
 * realm has the {@code ciam-consent} required action on, its form is not held to purposes it never showed, and that
 * action asks them right after the account is created, before any token, recording them as decided at registration.
 * Without the action nothing else would ask, so such a form is refused (and the server log says what to change).
 */
final class ConsentRegistration implements FormAction {

    private static final Logger LOG = Logger.getLogger(ConsentRegistration.class);
    private static final String ASKED_AFTER = "ciam.consent.after-registration";
    static final String NOT_ON_FORM = "ciamConsentNotOnForm";

    @Override
    public void buildPage(FormContext context, LoginFormsProvider form) {
        List<ConsentPurpose> purposes = purposes(context);
        if (purposes.isEmpty()) {
            return;
        }
        // Shown again after an error: keep what the user ticked, unless it was ticked on other wording.
        MultivaluedMap<String, String> answers = "POST".equals(context.getHttpRequest().getHttpMethod())
                ? ShownPurposes.stillValid(context.getAuthenticationSession(), purposes,
                        context.getHttpRequest().getDecodedFormParameters()) : null;
        ShownPurposes.remember(context.getAuthenticationSession(), purposes);
        form.setAttribute("consentPurposes", ConsentForm.views(purposes, answers));
    }

    @Override
    public void validate(ValidationContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        List<ConsentPurpose> purposes = purposes(context);
        if (askedAfter(context, form)) {
            context.success();
            return;
        }
        if (!purposes.isEmpty() && !ShownPurposes.onPage(form)) {
            LOG.warnf("Realm %s: a registration was refused because its form shows none of the consent purposes; use "
                    + "the ciam login theme (or import ciam-consent-commons.ftl into your own), or turn on the "
                    + "ciam-consent required action, which asks them once the account exists",
                    context.getRealm().getName());
            context.error(Errors.INVALID_REGISTRATION);
            context.validationError(form, List.of(new FormMessage(FormMessage.GLOBAL, NOT_ON_FORM)));
            return;
        }
        if (!purposes.isEmpty() && !ShownPurposes.answers(context.getAuthenticationSession(), form, purposes)) {
            context.error(Errors.INVALID_REGISTRATION);
            context.validationError(form, List.of(new FormMessage(FormMessage.GLOBAL, ShownPurposes.CHANGED_MESSAGE)));
            return;
        }
        ConsentForm.Answer answer = ConsentForm.read(purposes, form);
        if (answer.complete()) {
            context.success();
            return;
        }
        List<FormMessage> errors = answer.missingRequired().stream()
                .map(purpose -> new FormMessage(ConsentForm.field(purpose), "ciamConsentRequiredMissing")).toList();
        context.getEvent().detail(ConsentDecisions.PURPOSE, answer.missingRequired().get(0).id());
        context.error(Errors.INVALID_REGISTRATION);
        context.validationError(form, errors);
    }

    @Override
    public void success(FormContext context) {
        List<ConsentPurpose> purposes = purposes(context);
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (purposes.isEmpty()) {
            return;
        }
        if (askedAfter(context, form)) {
            context.getAuthenticationSession().setAuthNote(ASKED_AFTER, "true"); // nothing decided here
            return;
        }
        ConsentForm.Answer answer = ConsentForm.read(purposes, form);
        new ConsentDecisions(context.getSession(), context.getRealm()).record(context.getUser(), answer.choices(),
                Source.REGISTRATION, context.getAuthenticationSession().getClient(), true);
        ConsentChecked.mark(context.getAuthenticationSession()); // every purpose was on the form
    }

    /** Whether the form showed no purposes and the required action will ask them once the account exists. */
    private static boolean askedAfter(FormContext context, MultivaluedMap<String, String> form) {
        if (ShownPurposes.onPage(form)) {
            return false;
        }
        RequiredActionProviderModel action = context.getRealm()
                .getRequiredActionProviderByAlias(ConsentRequiredActionFactory.ID);
        return action != null && action.isEnabled();
    }

    /** Whether this sign-in's registration left the consents to the required action (decided at registration, then). */
    static boolean askedAfterRegistration(AuthenticationSessionModel authSession) {
        return "true".equals(authSession.getAuthNote(ASKED_AFTER));
    }

    private static List<ConsentPurpose> purposes(FormContext context) {
        Instant now = Instant.now();
        return new ConsentDecisions(context.getSession(), context.getRealm()).catalog().inForce(now);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
