package org.ciampack.events.sink;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook delivery the Standard Webhooks way (standardwebhooks.com): headers {@code webhook-id},
 * {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature}, an HMAC-SHA256 over
 * {@code id.timestamp.body} with each current secret ({@code whsec_} + base64), so that while a secret is rotated the
 * receiver accepts the delivery with either the old or the new one.
 */
public final class WebhookSignature {

    public static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<byte[]> keys;

    private WebhookSignature(List<byte[]> keys) {
        this.keys = keys;
    }

    /**
     * From one or more secrets as the receiver shows them ({@code whsec_...}). An unusable secret is refused with a
     * message that names its position, never its value.
     */
    public static WebhookSignature of(List<String> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook needs at least one signing secret");
        }
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            byte[] key = decode(secrets.get(i));
            if (key == null) {
                throw new IllegalArgumentException("signing secret " + (i + 1) + " is not whsec_ followed by base64");
            }
            if (key.length < 16) {
                throw new IllegalArgumentException("signing secret " + (i + 1) + " is shorter than 16 bytes");
            }
            keys.add(key);
        }
        return new WebhookSignature(List.copyOf(keys));
    }

    private static byte[] decode(String secret) {
        if (secret == null) {
            return null;
        }
        String trimmed = secret.strip();
        try {
            return Base64.getDecoder().decode(trimmed.startsWith(SECRET_PREFIX) ? trimmed.substring(SECRET_PREFIX.length()) : trimmed);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A new random secret in the receiver-facing form, for admins setting up a webhook. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The three headers for one delivery of {@code body} (sent exactly as signed). */
    public Map<String, String> headers(String messageId, Instant timestamp, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", messageId);
        headers.put("webhook-timestamp", String.valueOf(timestamp.getEpochSecond()));
        headers.put("webhook-signature", signature(messageId, timestamp.getEpochSecond(), body));
        return headers;
    }

    String signature(String messageId, long timestamp, String body) {
        if (messageId.indexOf('.') >= 0) {
            // The id is part of the signed text with '.' as separator: one with a dot could be confused.
            throw new IllegalArgumentException("a webhook message id must not contain '.'");
        }
        byte[] content = (messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        List<String> signatures = new ArrayList<>();
        for (byte[] key : keys) {
            signatures.add("v1," + Base64.getEncoder().encodeToString(hmac(key, content)));
        }
        return String.join(" ", signatures);
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
