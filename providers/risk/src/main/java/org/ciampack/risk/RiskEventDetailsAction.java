package org.ciampack.risk;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.UserModel;

/**
 * Puts the sign-in's assessment on the LOGIN event of a login that ends after required actions or after an identity
 * provider's post login flow ({@link RiskEventDetails}). Keycloak asks every enabled required action whether it is
 * needed, with the event of the request, right before it ends a login: this one is never needed, and adds the
 * details when asked. Assigned to a user (by hand, or as a default action), it takes itself off at once.
 */
final class RiskEventDetailsAction implements RequiredActionProvider {

    static final RiskEventDetailsAction SINGLETON = new RiskEventDetailsAction();

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        if (context.getAuthenticationSession() != null) {
            RiskEventDetails.restore(context.getAuthenticationSession(), context.getUser(), context.getEvent());
        }
        UserModel user = context.getUser();
        if (user != null && user.getRequiredActionsStream().anyMatch(RiskEventDetailsActionFactory.ID::equals)) {
            // assigned by hand or as a default action: a password grant would refuse the account as not set up
            user.removeRequiredAction(RiskEventDetailsActionFactory.ID);
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        context.success(); // nothing to ask anyone
    }

    @Override
    public void processAction(RequiredActionContext context) {
        context.success();
    }

    @Override
    public void close() {
    }
}
