package org.ciampack.consent.rest;

import jakarta.ws.rs.NotAuthorizedException;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;

/** The admin behind a request: a bearer token of any realm on this server, verified in its own realm as Keycloak's admin API does. */
final class AdminCaller {

    private AdminCaller() {
    }

    static AdminAuth authenticate(KeycloakSession session) {
        String token = Bearer.token(session);
        RealmModel tokenRealm;
        try {
            String issuer = TokenVerifier.create(token, AccessToken.class).getToken().getIssuer();
            tokenRealm = session.realms().getRealmByName(issuer.substring(issuer.lastIndexOf('/') + 1));
        } catch (VerificationException | RuntimeException e) {
            throw new NotAuthorizedException("Bearer");
        }
        if (tokenRealm == null) {
            throw new NotAuthorizedException("Bearer");
        }
        RealmModel requested = session.getContext().getRealm();
        AuthResult auth;
        try {
            session.getContext().setRealm(tokenRealm);
            auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(tokenRealm)
                    .setConnection(session.getContext().getConnection())
                    .setHeaders(session.getContext().getRequestHeaders())
                    .setTokenString(token).authenticate();
        } finally {
            session.getContext().setRealm(requested);
        }
        if (auth == null) {
            throw new NotAuthorizedException("Bearer");
        }
        return new AdminAuth(tokenRealm, auth.token(), auth.user(), auth.client());
    }
}
