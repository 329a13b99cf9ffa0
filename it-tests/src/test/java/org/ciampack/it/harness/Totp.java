package org.ciampack.it.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** An authenticator app: RFC 6238 codes (HMAC-SHA1, 6 digits, 30 s) for the secret Keycloak's setup page holds. */
public final class Totp {

    private Totp() {
    }

    /** Waits until the 30-second step after the one containing {@code time} has begun; returns the time then. */
    public static Instant nextStep(Instant time) throws InterruptedException {
        Instant next = Instant.ofEpochSecond((time.getEpochSecond() / 30 + 1) * 30);
        long wait = next.toEpochMilli() - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait + 200);
        }
        return Instant.now();
    }

    /** The code for the 30-second step containing {@code time}; {@code secret} is the page's raw totpSecret. */
    public static String code(String secret, Instant time) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(time.getEpochSecond() / 30).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
