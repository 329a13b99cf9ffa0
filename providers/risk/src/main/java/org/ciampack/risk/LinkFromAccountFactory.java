package org.ciampack.risk;

import org.ciampack.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** "CIAM link from the account instead": see {@link LinkFromAccount}. */
public final class LinkFromAccountFactory extends StepFactory {

    public static final String ID = "ciam-link-from-account";

    @Override
    public Authenticator create(KeycloakSession session) {
        return LinkFromAccount.SINGLETON;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "CIAM link from the account where no link can be mailed";
    }

    @Override
    public String getHelpText() {
        return "First broker login only: put it right before \"Verify existing account by e-mail\", both required. "
                + "Where that step cannot mail its link (no mail server, or the address or username changed on review), "
                + "tells the customer to sign in with their password and link the provider under Linked accounts, "
                + "instead of Keycloak's generic error; otherwise passes. Links nothing itself.";
    }
}
