package org.ciampack.risk;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Goes right before "Verify existing account by e-mail" (both required). Where that step can mail its link, this one
 * passes. Where it cannot (it answers "attempted" when the realm has no mail server, or when the customer changed the
 * address or username on the review page, and a required step that only attempted ends on Keycloak's generic
 * error), this one ends the sign-in on a page that says how to link the provider safely instead: sign in with the
 * account's password (and whatever that sign-in asks), then link it under Linked accounts. It links nothing itself.
 * Not an alternative beside the mail step: Keycloak would then offer "Try another way" on the page that waits for
 * the mail.
 */
final class LinkFromAccount extends AbstractIdpAuthenticator {

    static final LinkFromAccount SINGLETON = new LinkFromAccount();
    static final String TEMPLATE = "ciam-link-from-account.ftl";
    /** The event error of the first-broker-login that ends here; the detail {@code reason} says why. */
    static final String ERROR = "ciam_link_by_mail_unavailable";

    @Override
    protected void authenticateImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serialized,
            BrokeredIdentityContext broker) {
        String reason = noLinkMailed(context);
        if (reason == null) {
            context.success(); // the next step mails the link
            return;
        }
        IdentityProviderModel provider = broker.getIdpConfig();
        String name = provider.getDisplayName() == null || provider.getDisplayName().isBlank()
                ? provider.getAlias() : provider.getDisplayName();
        context.getEvent().detail("reason", reason).error(ERROR);
        context.forceChallenge(context.form().setAttribute("ciamLinkProvider", name).createForm(TEMPLATE));
    }

    @Override
    protected void actionImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serialized,
            BrokeredIdentityContext broker) {
        authenticateImpl(context, serialized, broker); // the page has no form: decided again
    }

    /** Why "Verify existing account by e-mail" would mail no link (Keycloak's own two tests), or null when it would. */
    static String noLinkMailed(AuthenticationFlowContext context) {
        if (context.getRealm().getSmtpConfig().isEmpty()) {
            return "no_mail_server";
        }
        var authSession = context.getAuthenticationSession();
        if (Boolean.parseBoolean(authSession.getAuthNote(AbstractIdentityProvider.UPDATE_PROFILE_EMAIL_CHANGED))
                || Boolean.parseBoolean(authSession.getAuthNote(AbstractIdentityProvider.UPDATE_PROFILE_USERNAME_CHANGED))) {
            return "changed_on_review";
        }
        return null;
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return false;
    }
}
