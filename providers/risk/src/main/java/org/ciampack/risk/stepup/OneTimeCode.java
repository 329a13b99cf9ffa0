package org.ciampack.risk.stepup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Numeric one-time codes: random, compared in constant time, kept only as a hash. */
public final class OneTimeCode {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OneTimeCode() {
    }

    public static String generate(int digits) {
        StringBuilder code = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            code.append(RANDOM.nextInt(10));
        }
        return code.toString();
    }

    /** What is stored: a hash bound to the authentication session, never the code itself. */
    public static String hash(String code, String salt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((salt + ":" + code).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean matches(String given, String salt, String storedHash) {
        if (given == null || storedHash == null || given.length() > 32) {
            return false;
        }
        byte[] expected = storedHash.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = hash(given.strip(), salt).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    /** j***@example.com: enough for the user to recognise the address, not enough to learn it. */
    public static String mask(String email) {
        int at = email == null ? -1 : email.indexOf('@');
        if (at < 1) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }
}
