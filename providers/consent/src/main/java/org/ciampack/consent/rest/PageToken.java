package org.ciampack.consent.rest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;

/**
 * The anti-CSRF token of the account console's consent page: an HMAC of the user's SSO session under the realm's
 * active HMAC key. The page reads it from a same-origin {@code GET me} (another site cannot read that answer) and
 * sends it back in {@value #HEADER} with every change; it needs no storage and dies with the session.
 */
final class PageToken {

    static final String HEADER = "X-CIAM-CSRF";

    private PageToken() {
    }

    /** The token for this session, or null when the realm has no HMAC key (then no cookie change is accepted). */
    static String of(KeycloakSession session, RealmModel realm, UserSessionModel userSession) {
        KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        SecretKey secret = key == null ? null : key.getSecretKey();
        if (secret == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            byte[] digest = mac.doFinal(String.join("\n", "ciam-consent-page", realm.getId(), userSession.getId(),
                    userSession.getUser().getId()).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static boolean matches(KeycloakSession session, RealmModel realm, UserSessionModel userSession, String sent) {
        String expected = of(session, realm, userSession);
        return expected != null && sent != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII));
    }
}
