package org.ciampack.consent;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import org.ciampack.common.FlowStep;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;

/**
 * "CIAM consent" in a login flow: the consents due (a new version, a re-consent request) are asked as a step of the
 * flow, once the user is proven (after the risk step and any step-up) and before anything that collects personal
 * data, such as progressive profiling. Keycloak runs required actions only after the whole flow, which would put the
 * privacy notice after the profile questions it governs. The ciam-consent required action stays the safety net of
 * flows without this step. Declining a required purpose ends the login, with the way to delete the account. In
 * first-broker-login, placed after the account is created or linked, it also writes the decisions the customer made
 * before the account existed.
 */
final class ConsentStep extends FlowStep {

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        ConsentDecline decline = decline(context);
        if (decline.declined()) {
            context.challenge(decline.declinedAgain(context.form()));
            return;
        }
        ConsentDecisions decisions = decisions(context);
        // Made in first-broker-login before the account existed: written as soon as it exists, so the receipts
        // precede whatever the flow asks next (the required action would write them only after the whole flow).
        decisions.record(context.getUser(), PendingConsents.take(context.getAuthenticationSession()), Source.REGISTRATION,
                context.getAuthenticationSession().getClient(), false);
        List<ConsentPurpose> due = decisions.due(context.getUser());
        if (due.isEmpty()) {
            ConsentChecked.mark(context.getAuthenticationSession());
            context.success();
            return;
        }
        context.challenge(ConsentRequiredAction.page(context.form(), context.getAuthenticationSession(), due, null,
                List.of()));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        ConsentDecisions decisions = decisions(context);
        List<ConsentPurpose> due = decisions.due(context.getUser());
        ConsentDecline decline = decline(context);
        if (decline.declined()) {
            if (form.containsKey("delete-account")) {
                context.failureChallenge(AuthenticationFlowError.ACCESS_DENIED, decline.deleteAccount(context.form()));
            } else {
                context.challenge(decline.declinedAgain(context.form()));
            }
            return;
        }
        if (!due.isEmpty() && !ShownPurposes.answers(context.getAuthenticationSession(), form, due)) {
            context.challenge(ConsentRequiredAction.changed(context.form(), context.getAuthenticationSession(), due));
            return;
        }
        if (form.containsKey("decline") && !due.isEmpty()) {
            context.failureChallenge(AuthenticationFlowError.ACCESS_DENIED, decline.decline(decisions, due, context.form()));
            return;
        }
        if (due.isEmpty()) {
            context.success();
            return;
        }
        ConsentForm.Answer answer = ConsentForm.read(due, form);
        if (!answer.complete()) {
            context.challenge(ConsentRequiredAction.page(context.form(), context.getAuthenticationSession(), due, form,
                    answer.errors()));
            return;
        }
        decisions.record(context.getUser(), answer.choices(), Source.LOGIN, context.getAuthenticationSession().getClient(),
                false);
        ConsentChecked.mark(context.getAuthenticationSession());
        context.success();
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    private static ConsentDecline decline(AuthenticationFlowContext context) {
        return new ConsentDecline(context.getSession(), context.getRealm(), context.getUser(),
                context.getAuthenticationSession(), context.getConnection());
    }

    private static ConsentDecisions decisions(AuthenticationFlowContext context) {
        return new ConsentDecisions(context.getSession(), context.getRealm());
    }
}
