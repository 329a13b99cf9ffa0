package org.ciampack.risk;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.util.JsonSerialization;

/**
 * The answer a wrong password gets, for a login refused for risk: a credential stuffer must not learn from a
 * refusal that the password was right. Browser flows start over at the login form with Keycloak's own "Invalid
 * username or password"; password grants get the token endpoint's own 400 invalid_grant.
 */
final class WrongPasswordAnswer {

    /** Keycloak's message and field for a wrong password on the username/password form. */
    static final String INVALID_USER = "invalidUserMessage";
    static final String PASSWORD_FIELD = "password";
    /**
     * Where Keycloak keeps an error for the next form of a flow (AuthenticationProcessor's forwarded error message).
     * It has no public setter for authenticators; RiskDenialIT fails if a Keycloak upgrade renames it.
     */
    private static final String FORWARDED_ERROR_NOTE = "fwMessageError";
    /** The flow path of Keycloak's token endpoint (password grants), as AuthenticationFlowContext#getFlowPath tells it. */
    private static final String TOKEN_FLOW_PATH = "token";

    private WrongPasswordAnswer() {
    }

    static boolean isPasswordGrant(AuthenticationFlowContext context) {
        return TOKEN_FLOW_PATH.equals(context.getFlowPath());
    }

    /** What Keycloak's direct-grant steps answer to a wrong password or an unknown user (400, not 401). */
    static Response passwordGrant() {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(new OAuth2ErrorRepresentation("invalid_grant", "Invalid user credentials"))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    /**
     * Starts the browser flow over, as a wrong password does: the login form again (its own step, its own address),
     * the typed username kept, and the wrong-password error on it.
     */
    static void restartAtLoginForm(AuthenticationFlowContext context) {
        String error = json(new FormMessage(PASSWORD_FIELD, INVALID_USER));
        context.resetFlow(() -> context.getAuthenticationSession().setAuthNote(FORWARDED_ERROR_NOTE, error));
    }

    /** Counts a failed login for brute-force detection, as Keycloak does for a wrong password. */
    static void countFailure(AuthenticationFlowContext context, UserModel user) {
        RealmModel realm = context.getRealm();
        if (realm.isBruteForceProtected() && user != null) {
            context.getSession().getProvider(BruteForceProtector.class).failedLogin(realm, user, context.getConnection(),
                    context.getUriInfo(), Set.of(PasswordCredentialModel.TYPE));
        }
    }

    private static String json(FormMessage message) {
        try {
            return JsonSerialization.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
