package org.ciampack.risk;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Right before "Verify existing account by e-mail", both required: passes where that step can mail its link; where
 * it cannot (it would only "attempt", and the sign-in end on Keycloak's generic error), ends on a page that says to
 * sign in with the password and link the provider under Linked accounts. Links nothing itself.
 */
final class LinkFromAccount extends AbstractIdpAuthenticator {

    static final LinkFromAccount SINGLETON = new LinkFromAccount();
    static final String TEMPLATE = "ciam-link-from-account.ftl";
    /** The event error of a first broker login that ends here; its detail {@link #REASON} says why. */
    static final String ERROR = "ciam_link_by_mail_unavailable";
    static final String REASON = "reason";

    @Override
    protected void authenticateImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serialized,
            BrokeredIdentityContext broker) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String reason = noLinkMailed(context.getRealm().getSmtpConfig().isEmpty(),
                Boolean.parseBoolean(authSession.getAuthNote(AbstractIdentityProvider.UPDATE_PROFILE_EMAIL_CHANGED)),
                Boolean.parseBoolean(authSession.getAuthNote(AbstractIdentityProvider.UPDATE_PROFILE_USERNAME_CHANGED)));
        if (reason == null) {
            context.success(); // the next step mails the link
            return;
        }
        // A copy: Keycloak ends the request with its own event builder, which would record this error a second time.
        EventBuilder event = context.getEvent().clone().detail(REASON, reason);
        if (authSession.getAuthNote(EXISTING_USER_INFO) != null) {
            event.user(getExistingUser(context.getSession(), context.getRealm(), authSession)); // whose account it aimed at
        }
        event.error(ERROR);
        IdentityProviderModel provider = broker.getIdpConfig();
        String name = provider.getDisplayName() == null || provider.getDisplayName().isBlank()
                ? provider.getAlias() : provider.getDisplayName();
        context.forceChallenge(context.form().setAttribute("ciamLinkProvider", name).createForm(TEMPLATE));
    }

    @Override
    protected void actionImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serialized,
            BrokeredIdentityContext broker) {
        authenticateImpl(context, serialized, broker); // the page has no form: decided again
    }

    /**
     * Why "Verify existing account by e-mail" would mail no link, or null when it would: Keycloak 26.7's own two tests
     * (IdpEmailVerificationAuthenticator), to be checked again at each Keycloak upgrade.
     */
    static String noLinkMailed(boolean noMailServer, boolean emailChangedOnReview, boolean usernameChangedOnReview) {
        if (noMailServer) {
            return "no_mail_server";
        }
        return emailChangedOnReview || usernameChangedOnReview ? "changed_on_review" : null;
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
