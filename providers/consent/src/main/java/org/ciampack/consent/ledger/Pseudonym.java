package org.ciampack.consent.ledger;

import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;
import org.ciampack.common.RealmKey;

/**
 * What stands for a deleted user's id in their receipts: HMAC-SHA256 of the user id under a secret key, cut to 28
 * bytes, after a prefix that says which key made it ({@code vault:} or {@code realm:}). Without the key nobody can
 * tell whose receipts they are, not even with a list of user ids; an auditor who holds the key and the id can
 * recompute it and find them. {@code random:} marks proof kept with no link at all (no key was available).
 */
public final class Pseudonym {

    public static final String VAULT = "vault";
    public static final String REALM = "realm";
    public static final String RANDOM = "random";
    private static final int BYTES = 28;
    private static final SecureRandom RANDOMNESS = new SecureRandom();

    private Pseudonym() {
    }

    public static String keyed(String keySource, byte[] key, String userId) {
        byte[] digest = RealmKey.mac(new SecretKeySpec(key, "HmacSHA256"), userId);
        return keySource + ":" + HexFormat.of().formatHex(digest, 0, BYTES);
    }

    public static String unlinkable() {
        byte[] bytes = new byte[BYTES];
        RANDOMNESS.nextBytes(bytes);
        return RANDOM + ":" + HexFormat.of().formatHex(bytes);
    }
}
