package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Asks, at login, about every purpose whose current version the user has not decided on. Required purposes must be
 * accepted to go on; declining them signs the user out, with the option to delete the account.
 */
final class ConsentRequiredAction implements RequiredActionProvider {

    static final String TEMPLATE = "ciam-consent.ftl";
    static final String DECLINED_TEMPLATE = ConsentDecline.DECLINED_TEMPLATE;

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        long started = System.nanoTime();
        try {
            ConsentDecisions decisions = new ConsentDecisions(context.getSession(), context.getRealm());
            // Made in first-broker-login before the account existed: written now that it does.
            List<Choice> pending = PendingConsents.take(context.getAuthenticationSession());
            decisions.record(context.getUser(), pending, Source.REGISTRATION, context.getAuthenticationSession().getClient(),
                    false);
            if (!ConsentChecked.done(context.getAuthenticationSession()) && !decisions.due(context.getUser()).isEmpty()) {
                context.getAuthenticationSession().addRequiredAction(ConsentRequiredActionFactory.ID);
            }
        } finally {
            ConsentMetrics.checked(java.time.Duration.ofNanos(System.nanoTime() - started));
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        ConsentDecline decline = decline(context);
        if (decline.declined()) {
            context.challenge(decline.declinedAgain(context.form()));
            return;
        }
        List<ConsentPurpose> due = decisions(context).due(context.getUser());
        if (due.isEmpty()) {
            context.success();
            return;
        }
        context.challenge(page(context.form(), context.getAuthenticationSession(), due, null, List.of()));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        ConsentDecisions decisions = decisions(context);
        ConsentDecline decline = decline(context);
        if (decline.declined()) {
            context.challenge(form.containsKey("delete-account") ? decline.deleteAccount(context.form())
                    : decline.declinedAgain(context.form()));
            return;
        }
        if (form.containsKey("delete-account")) {
            context.challenge(page(context.form(), context.getAuthenticationSession(), decisions.due(context.getUser()),
                    null, List.of()));
            return;
        }
        List<ConsentPurpose> due = decisions.due(context.getUser());
        if (due.isEmpty()) {
            context.success();
            return;
        }
        if (!ShownPurposes.answers(context.getAuthenticationSession(), form, due)) {
            context.challenge(changed(context.form(), context.getAuthenticationSession(), due));
            return;
        }
        if (form.containsKey("decline")) {
            context.challenge(decline.decline(decisions, due, context.form()));
            return;
        }
        ConsentForm.Answer answer = ConsentForm.read(due, form);
        if (!answer.complete()) {
            List<FormMessage> errors = answer.errors();
            context.challenge(page(context.form(), context.getAuthenticationSession(), due, form, errors));
            return;
        }
        Source source = ConsentRegistration.askedAfterRegistration(context.getAuthenticationSession())
                ? Source.REGISTRATION : Source.LOGIN;
        decisions.record(context.getUser(), answer.choices(), source, context.getAuthenticationSession().getClient(),
                false);
        context.success();
    }

    /** The consent page for {@code due}, remembered as what the customer was shown. */
    static Response page(LoginFormsProvider form, AuthenticationSessionModel authSession, List<ConsentPurpose> due,
            MultivaluedMap<String, String> answers, List<FormMessage> errors) {
        if (!errors.isEmpty()) {
            form.setErrors(errors);
        }
        ShownPurposes.remember(authSession, due);
        return form.setAttribute("consentPurposes", ConsentForm.views(due, answers)).createForm(TEMPLATE);
    }

    /** The page again, nothing recorded: what is asked changed since the customer's page was shown. */
    static Response changed(LoginFormsProvider form, AuthenticationSessionModel authSession, List<ConsentPurpose> due) {
        return page(form.setInfo(ShownPurposes.CHANGED_MESSAGE), authSession, due, null, List.of());
    }

    private static ConsentDecline decline(RequiredActionContext context) {
        return new ConsentDecline(context.getSession(), context.getRealm(), context.getUser(),
                context.getAuthenticationSession(), context.getConnection());
    }

    private static ConsentDecisions decisions(RequiredActionContext context) {
        return new ConsentDecisions(context.getSession(), context.getRealm());
    }

    @Override
    public void close() {
    }
}
