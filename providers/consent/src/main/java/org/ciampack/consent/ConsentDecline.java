package org.ciampack.consent;

import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AccountRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What happens when a user declines a required purpose at login, for the required action and the flow step alike:
 * the refusal is recorded, the user signed out and told why, with the way to delete the account where the realm lets
 * users delete their own (as its account console does); only after such a refusal may the same login delete it.
 */
final class ConsentDecline {

    static final String DECLINED_TEMPLATE = "ciam-consent-declined.ftl";
    /** Set when the user declined: only then may this login delete the account. */
    private static final String DECLINED_NOTE = "ciam.consent.declined";
    /** Keycloak's "Delete Account" required action: where it is off, users may not delete their own accounts. */
    private static final String DELETE_ACCOUNT_ACTION = "delete_account";
    private static final Logger LOG = Logger.getLogger(ConsentDecline.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel user;
    private final AuthenticationSessionModel authSession;
    private final ClientConnection connection;

    ConsentDecline(KeycloakSession session, RealmModel realm, UserModel user, AuthenticationSessionModel authSession,
                   ClientConnection connection) {
        this.session = session;
        this.realm = realm;
        this.user = user;
        this.authSession = authSession;
        this.connection = connection;
    }

    /** Records the required purposes due as declined, signs the user out; the page that says so. */
    Response decline(ConsentDecisions decisions, List<ConsentPurpose> due, LoginFormsProvider form) {
        List<Choice> declined = due.stream().filter(ConsentPurpose::required)
                .map(purpose -> new Choice(purpose.id(), purpose.version(), Decision.DECLINED)).toList();
        decisions.record(user, declined, Source.LOGIN, authSession.getClient(), false);
        signOut();
        authSession.setAuthNote(DECLINED_NOTE, "true");
        return form.setAttribute("consentDeclined", declined.stream().map(Choice::purpose).toList())
                .setAttribute("consentMayDelete", selfDeletionAllowed()).createForm(DECLINED_TEMPLATE);
    }

    /**
     * The declined page again, for whatever this login asks after the decline (the way back to the consent page, a
     * reload, an old form sent again), deleting the account aside: a decline ends the login, and the way on is the
     * page's "back to login", which asks for the password again. Without this, anyone at the same browser could go
     * back and accept in the customer's name.
     */
    Response declinedAgain(LoginFormsProvider form) {
        return form.setAttribute("consentDeclined", List.of()).setAttribute("consentMayDelete", selfDeletionAllowed())
                .createForm(DECLINED_TEMPLATE);
    }

    /** Whether this login declined: it answers whatever comes next with the declined page. */
    boolean declined() {
        return "true".equals(authSession.getAuthNote(DECLINED_NOTE));
    }

    /**
     * Whether the realm lets this user delete their own account, by the rule of Keycloak's account console: the
     * "Delete Account" required action enabled and the account client's {@code delete-account} role held.
     */
    private boolean selfDeletionAllowed() {
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(DELETE_ACCOUNT_ACTION);
        ClientModel account = realm.getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        RoleModel role = account == null ? null : account.getRole(AccountRoles.DELETE_ACCOUNT);
        return action != null && action.isEnabled() && role != null && user.hasRole(role);
    }

    /** Deletes the account after a decline ({@link #declined()}), where the realm allows it; the page that says so. */
    Response deleteAccount(LoginFormsProvider form) {
        if (!selfDeletionAllowed()) {
            return declinedAgain(form); // the page offered no such button: a forged or stale form
        }
        // The event first: the export listener reads the profile while the user still exists.
        new EventBuilder(realm, session, connection).event(EventType.DELETE_ACCOUNT).user(user)
                .client(authSession.getClient())
                .detail(ConsentDecisions.SOURCE, "consent-declined").success();
        signOut();
        if (!new UserManager(session).removeUser(realm, user)) { // as the admin API does: removal events fire
            // A user storage refused. Nothing of this request stays (the event, the sign-out, a local copy removed
            // already), and the customer is told rather than shown a deletion that did not happen.
            session.getTransactionManager().setRollbackOnly();
            LOG.warnf("Realm %s: user %s declined required consents and asked to delete their account; "
                    + "their user storage refused the deletion", realm.getName(), user.getId());
            return declinedAgain(form.setAttribute("consentDeleteFailed", true));
        }
        LOG.debugf("Realm %s: user %s deleted their account after declining required consents", realm.getName(), user.getId());
        authSession.removeAuthNote(DECLINED_NOTE);
        return form.setAttribute("consentAccountDeleted", true).createForm(DECLINED_TEMPLATE);
    }

    /** Ends the user's SSO session (it may already exist at this point) and its cookie; the login form comes next. */
    private void signOut() {
        UserSessionModel userSession = session.sessions().getUserSession(realm, authSession.getParentSession().getId());
        if (userSession != null) {
            session.sessions().removeUserSession(realm, userSession);
            new EventBuilder(realm, session, connection).event(EventType.LOGOUT)
                    .user(user).session(userSession.getId())
                    .detail(ConsentDecisions.SOURCE, "consent-declined").success();
        }
        AuthenticationManager.expireIdentityCookie(session);
    }
}
