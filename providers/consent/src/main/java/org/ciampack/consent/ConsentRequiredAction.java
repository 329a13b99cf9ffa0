package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Asks, at login, about every purpose whose current version the user has not decided on. Required purposes must be
 * accepted to go on; declining them signs the user out, with the option to delete the account.
 */
final class ConsentRequiredAction implements RequiredActionProvider {

    static final String TEMPLATE = "ciam-consent.ftl";
    static final String DECLINED_TEMPLATE = "ciam-consent-declined.ftl";
    /** Set when the user declined: only then may this step delete the account. */
    private static final String DECLINED_NOTE = "ciam.consent.declined";
    private static final Logger LOG = Logger.getLogger(ConsentRequiredAction.class);

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        long started = System.nanoTime();
        try {
            ConsentDecisions decisions = new ConsentDecisions(context.getSession(), context.getRealm());
            // Made in first-broker-login before the account existed: written now that it does.
            List<Choice> pending = PendingConsents.take(context.getAuthenticationSession());
            decisions.record(context.getUser(), pending, Source.REGISTRATION, context.getAuthenticationSession().getClient(),
                    false);
            if (!decisions.due(context.getUser()).isEmpty()) {
                context.getAuthenticationSession().addRequiredAction(ConsentRequiredActionFactory.ID);
            }
        } finally {
            ConsentMetrics.checked(java.time.Duration.ofNanos(System.nanoTime() - started));
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        List<ConsentPurpose> due = decisions(context).due(context.getUser());
        if (due.isEmpty()) {
            context.success();
            return;
        }
        context.challenge(page(context.form(), due, null, List.of()));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        ConsentDecisions decisions = decisions(context);
        if (form.containsKey("delete-account")) {
            deleteAccount(context);
            return;
        }
        List<ConsentPurpose> due = decisions.due(context.getUser());
        if (due.isEmpty()) {
            context.success();
            return;
        }
        if (form.containsKey("decline")) {
            decline(context, decisions, due);
            return;
        }
        ConsentForm.Answer answer = ConsentForm.read(due, form);
        if (!answer.complete()) {
            List<FormMessage> errors = answer.missingRequired().stream()
                    .map(purpose -> new FormMessage(ConsentForm.field(purpose), "ciamConsentRequiredMissing")).toList();
            context.challenge(page(context.form(), due, form, errors));
            return;
        }
        decisions.record(context.getUser(), answer.choices(), Source.LOGIN, context.getAuthenticationSession().getClient(),
                false);
        context.success();
    }

    /** Required purposes declined: recorded, the user signed out, and told why, with the way to delete the account. */
    private void decline(RequiredActionContext context, ConsentDecisions decisions, List<ConsentPurpose> due) {
        List<Choice> declined = due.stream().filter(ConsentPurpose::required)
                .map(purpose -> new Choice(purpose.id(), purpose.version(), Decision.DECLINED)).toList();
        decisions.record(context.getUser(), declined, Source.LOGIN, context.getAuthenticationSession().getClient(), false);
        signOut(context);
        context.getAuthenticationSession().setAuthNote(DECLINED_NOTE, "true");
        context.challenge(context.form().setAttribute("consentDeclined", declined.stream().map(Choice::purpose).toList())
                .createForm(DECLINED_TEMPLATE));
    }

    private void deleteAccount(RequiredActionContext context) {
        if (!"true".equals(context.getAuthenticationSession().getAuthNote(DECLINED_NOTE))) {
            context.challenge(page(context.form(), decisions(context).due(context.getUser()), null, List.of()));
            return;
        }
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        // The event first: the export listener reads the profile while the user still exists.
        new EventBuilder(realm, session, context.getConnection()).event(EventType.DELETE_ACCOUNT).user(user)
                .client(context.getAuthenticationSession().getClient())
                .detail(ConsentDecisions.SOURCE, "consent-declined").success();
        signOut(context);
        new UserManager(session).removeUser(realm, user); // as the admin API does: removal events fire
        LOG.debugf("Realm %s: user %s deleted their account after declining required consents", realm.getName(), user.getId());
        context.getAuthenticationSession().removeAuthNote(DECLINED_NOTE);
        context.challenge(context.form().setAttribute("consentAccountDeleted", true).createForm(DECLINED_TEMPLATE));
    }

    /** Ends the user's SSO session (it may already exist at this step) and its cookie; the login form comes next. */
    private static void signOut(RequiredActionContext context) {
        KeycloakSession session = context.getSession();
        UserSessionModel userSession = session.sessions().getUserSession(context.getRealm(),
                context.getAuthenticationSession().getParentSession().getId());
        if (userSession != null) {
            session.sessions().removeUserSession(context.getRealm(), userSession);
            new EventBuilder(context.getRealm(), session, context.getConnection()).event(EventType.LOGOUT)
                    .user(context.getUser()).session(userSession.getId())
                    .detail(ConsentDecisions.SOURCE, "consent-declined").success();
        }
        AuthenticationManager.expireIdentityCookie(session);
    }

    static Response page(LoginFormsProvider form, List<ConsentPurpose> due, MultivaluedMap<String, String> answers,
            List<FormMessage> errors) {
        if (!errors.isEmpty()) {
            form.setErrors(errors);
        }
        return form.setAttribute("consentPurposes", ConsentForm.views(due, answers)).createForm(TEMPLATE);
    }

    private static ConsentDecisions decisions(RequiredActionContext context) {
        return new ConsentDecisions(context.getSession(), context.getRealm());
    }

    @Override
    public void close() {
    }
}
