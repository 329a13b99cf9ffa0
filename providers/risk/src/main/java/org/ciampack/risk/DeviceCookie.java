package org.ciampack.risk;

import jakarta.ws.rs.core.Cookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import org.ciampack.common.RealmKey;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The long-lived device cookie: a random device id and an HMAC over it with the realm's secret key, so a
 * forged or altered cookie reads as an unknown device. Holds no personal data.
 */
public final class DeviceCookie {

    public static final String NAME = "CIAM_DEVICE";
    /** Anything longer is not ours: refuse before doing any work on it. */
    private static final int MAX_LENGTH = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceCookie() {
    }

    public static String newDeviceId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /** The cookie value for a device: {@code id.signature}. */
    public static String value(String deviceId, String realmId, SecretKey key) {
        return deviceId + "." + signature(deviceId, realmId, key);
    }

    /** The device id from the current request's cookie, when it is intact and from this realm; null otherwise. */
    public static String fromRequest(KeycloakSession session, RealmModel realm) {
        Cookie cookie = session.getContext().getRequestHeaders().getCookies().get(NAME);
        return cookie == null ? null : deviceId(cookie.getValue(), realm.getId(), RealmKey.of(session, realm));
    }

    /** The device id when the cookie is intact and was issued in this realm; null otherwise. */
    public static String deviceId(String cookie, String realmId, SecretKey key) {
        if (cookie == null || cookie.length() > MAX_LENGTH) {
            return null;
        }
        int dot = cookie.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        String deviceId = cookie.substring(0, dot);
        byte[] expected = signature(deviceId, realmId, key).getBytes(StandardCharsets.US_ASCII);
        byte[] given = cookie.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? deviceId : null;
    }

    private static String signature(String deviceId, String realmId, SecretKey key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(RealmKey.mac(key, realmId + "/" + deviceId));
    }
}
