package org.ciampack.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The realm's active HMAC secret (the HS512 key Keycloak generates for every realm and rotates with its key
 * providers): signs device cookies and page tokens, keys address hashes. A realm without one is a misconfiguration
 * that every caller refuses to work around.
 */
public final class RealmKey {

    private RealmKey() {
    }

    /** The secret; {@link IllegalStateException} when the realm has no active HS512 key. */
    public static SecretKey of(KeycloakSession session, RealmModel realm) {
        return find(session, realm).orElseThrow(() ->
                new IllegalStateException("realm " + realm.getName() + " has no active HS512 key"));
    }

    /** The secret, for a caller that has a way to do without it. */
    public static Optional<SecretKey> find(KeycloakSession session, RealmModel realm) {
        // Kept for the request: several steps of one login sign with it, and the key manager sorts the realm's
        // key providers on every call.
        String attribute = "ciam.realm-key." + realm.getId();
        if (session.getAttribute(attribute) instanceof SecretKey known) {
            return Optional.of(known);
        }
        KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        SecretKey secret = key == null ? null : key.getSecretKey();
        if (secret != null) {
            session.setAttribute(attribute, secret);
        }
        return Optional.ofNullable(secret);
    }

    /** HMAC-SHA256 under the realm's key of the parts joined by line feeds; the first part should name the purpose. */
    public static byte[] mac(KeycloakSession session, RealmModel realm, String... parts) {
        return mac(of(session, realm), parts);
    }

    /** HMAC-SHA256 under any key, e.g. a secret from the vault. */
    public static byte[] mac(SecretKey key, String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
