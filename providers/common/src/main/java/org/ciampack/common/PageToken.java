package org.ciampack.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;

/**
 * The anti-CSRF token of the account console's pages: an HMAC of the user's SSO session under the realm's key. The
 * server sends it in the {@value #HEADER} header of every self-service answer to the login cookie (same-origin pages
 * read it; another site can neither read that answer nor guess the token), and a change made with the cookie must
 * send it back in the same header. It needs no storage and dies with the session.
 */
public final class PageToken {

    public static final String HEADER = "X-CIAM-CSRF";

    private PageToken() {
    }

    public static String of(KeycloakSession session, RealmModel realm, UserSessionModel userSession) {
        byte[] digest = RealmKey.mac(session, realm, "ciam-page-token", realm.getId(), userSession.getId(),
                userSession.getUser().getId());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    public static boolean matches(KeycloakSession session, RealmModel realm, UserSessionModel userSession, String sent) {
        return sent != null && MessageDigest.isEqual(of(session, realm, userSession).getBytes(StandardCharsets.US_ASCII),
                sent.getBytes(StandardCharsets.US_ASCII));
    }
}
