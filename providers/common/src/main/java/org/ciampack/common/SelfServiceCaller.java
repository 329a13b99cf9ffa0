package org.ciampack.common;

import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.UriUtils;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * The end user behind a call to one of the pack's self-service APIs, who may only ever reach their own data. Two ways
 * in, held to what Keycloak's own account API asks:
 * <ul>
 * <li>an app's bearer token meant for the account ({@code aud} {@code account}) that carries the account client's role
 * for the job: {@code view-profile} to read, {@code manage-account} to change. Service-account tokens are refused
 * whatever they carry. The answer gets CORS for the token's client's web origins.</li>
 * <li>the login cookie, from the account console's pages on this server: a change must come from this server's own
 * origin and carry the {@link PageToken} in its header; every answer to the cookie carries the token for the page.</li>
 * </ul>
 */
public final class SelfServiceCaller {

    /** What the call does, and the account client's role a token needs for it. */
    public enum Access {
        READ("view-profile"),
        CHANGE("manage-account");

        private final String role;

        Access(String role) {
            this.role = role;
        }

        public String role() {
            return role;
        }
    }

    private final UserModel user;
    private final ClientModel client;
    private final UserSessionModel cookieSession;
    private final Cors cors;
    private final String pageToken;

    private SelfServiceCaller(UserModel user, ClientModel client, UserSessionModel cookieSession, Cors cors,
                              String pageToken) {
        this.user = user;
        this.client = client;
        this.cookieSession = cookieSession;
        this.cors = cors;
        this.pageToken = pageToken;
    }

    /**
     * The caller, or an answer ending the call: 404 while the realm's account client is disabled (or gone), 401 without a valid token or cookie of this realm, 403 for a token
     * without the account audience or role, a service account, or a cookie change without this origin and page token.
     */
    public static SelfServiceCaller authenticate(KeycloakSession session, Access access, String... corsMethods) {
        RealmModel realm = session.getContext().getRealm();
        ClientModel account = realm.getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        if (account == null || !account.isEnabled()) {
            // as Keycloak's own account API: an operator turns self-service off by disabling the account client
            throw Problems.failure(Response.Status.NOT_FOUND, "account management is not enabled in this realm");
        }
        HttpHeaders headers = session.getContext().getRequestHeaders();
        if (headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm)
                    .setConnection(session.getContext().getConnection())
                    .setHeaders(headers)
                    .authenticate();
            if (auth == null || auth.user() == null) {
                throw new NotAuthorizedException("Bearer");
            }
            requireAccountToken(auth, access);
            return new SelfServiceCaller(auth.user(), auth.client(), null,
                    Cors.builder().auth().allowedMethods(corsMethods).checkAllowedOrigins(session, auth.client()), null);
        }
        AuthResult auth = new AppAuthManager().authenticateIdentityCookie(session, realm);
        if (auth == null || auth.user() == null) {
            throw new NotAuthorizedException("Bearer");
        }
        if (access == Access.CHANGE) {
            String origin = headers.getHeaderString("Origin");
            boolean ownOrigin = origin != null
                    && origin.equals(UriUtils.getOrigin(session.getContext().getUri().getBaseUri()));
            if (!ownOrigin || !PageToken.matches(session, realm, auth.session(), headers.getHeaderString(PageToken.HEADER))) {
                throw Problems.failure(Response.Status.FORBIDDEN, "a change made with the login cookie must come from "
                        + "this server's account pages with their token in " + PageToken.HEADER);
            }
        }
        return new SelfServiceCaller(auth.user(), realm.getClientByClientId(Constants.ACCOUNT_CONSOLE_CLIENT_ID),
                auth.session(), null, PageToken.of(session, realm, auth.session()));
    }

    private static void requireAccountToken(AuthResult auth, Access access) {
        if (auth.user().getServiceAccountClientLink() != null) {
            throw Problems.failure(Response.Status.FORBIDDEN, "a service account has no self-service data");
        }
        AccessToken token = auth.token();
        AccessToken.Access account = token.getResourceAccess(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        if (!token.hasAudience(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID) || account == null
                || !account.isUserInRole(access.role())) {
            throw Problems.failure(Response.Status.FORBIDDEN, "the token must be meant for the account (audience '"
                    + Constants.ACCOUNT_MANAGEMENT_CLIENT_ID + "') with its role '" + access.role() + "'");
        }
    }

    public UserModel user() {
        return user;
    }

    /** The app that called, or the account console for the login cookie. */
    public ClientModel client() {
        return client;
    }

    /** The SSO session of a login-cookie caller; null for a bearer token. */
    public UserSessionModel cookieSession() {
        return cookieSession;
    }

    /**
     * The answer as this caller gets it: CORS for an app, the page token for the account console's pages; kept by
     * no cache either way (a customer's own data, or a token for their page).
     */
    public Response answer(Response response) {
        Response.ResponseBuilder uncached = Response.fromResponse(response).header(HttpHeaders.CACHE_CONTROL, null)
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (cors != null) {
            return cors.add(uncached);
        }
        return uncached.header(PageToken.HEADER, pageToken).build();
    }

    public Response answer(Response.ResponseBuilder response) {
        return answer(response.build());
    }
}
