package org.ciampack.risk;

import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.ModelException;
import org.keycloak.models.UserModel;
import org.keycloak.storage.ReadOnlyException;

/**
 * Puts the sign-in's assessment on the LOGIN event of a login that ends after required actions or after an identity
 * provider's post login flow ({@link RiskEventDetails}). Keycloak asks every enabled required action whether it is
 * needed, with the event of the request, right before it ends a login: this one is never needed, and adds the
 * details when asked. Assigned to a user (by hand, or as a default action) while it is on, it takes itself off at
 * their next sign-in.
 */
final class RiskEventDetailsAction implements RequiredActionProvider {

    static final RiskEventDetailsAction SINGLETON = new RiskEventDetailsAction();
    private static final Logger LOG = Logger.getLogger(RiskEventDetailsAction.class);

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        if (context.getAuthenticationSession() != null) {
            RiskEventDetails.restore(context.getAuthenticationSession(), context.getUser(), context.getEvent());
        }
        UserModel user = context.getUser();
        if (user != null && user.getRequiredActionsStream().anyMatch(RiskEventDetailsActionFactory.ID::equals)) {
            // assigned by hand or as a default action: a password grant would refuse the account as not set up
            try {
                user.removeRequiredAction(RiskEventDetailsActionFactory.ID);
            } catch (ReadOnlyException | ModelException e) { // a read-only user storage, e.g. LDAP without import
                LOG.debugf("Required action %s left on user %s: %s", RiskEventDetailsActionFactory.ID, user.getId(),
                        e.getMessage());
            }
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
