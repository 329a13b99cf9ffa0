package org.ciampack.federation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A password hash as legacy systems store it, recognised by its own format, and checked against a password: bcrypt
 * ({@code $2a$}, {@code $2b$}, {@code $2y$}), PBKDF2 as Django writes it ({@code pbkdf2_sha256$iterations$salt$hash},
 * SHA-1/256/512), Argon2 and scrypt in the PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash},
 * {@code $scrypt$ln=..,r=..,p=..$salt$hash}), salted SHA as LDAP writes it ({@code {SSHA}}, {@code {SSHA256}},
 * {@code {SSHA512}}: base64 of digest then salt), phpass's portable hashes as WordPress and phpBB store them
 * ({@code $P$}, {@code $H$}: iterated salted MD5), and unsalted MD5, SHA-1 or SHA-256 in hex for the worst
 * legacy systems. The algorithms are Bouncy Castle's and the JDK's; every comparison takes constant time.
 */
public final class LegacyPasswordHash {

    /** The formats, as an admin names them when the format is configured rather than recognised. */
    public enum Format {
        BCRYPT, PBKDF2_DJANGO, ARGON2, SCRYPT, SALTED_SHA, PHPASS, MD5, SHA1, SHA256;

        static Format of(String stored) {
            if (stored.matches("\\$2[aby]\\$\\d\\d\\$.{53}")) {
                return BCRYPT;
            }
            if (stored.startsWith("pbkdf2_")) {
                return PBKDF2_DJANGO;
            }
            if (stored.startsWith("$argon2")) {
                return ARGON2;
            }
            if (stored.startsWith("$scrypt$")) {
                return SCRYPT;
            }
            if (stored.startsWith("{SSHA")) {
                return SALTED_SHA;
            }
            if (stored.matches("\\$[PH]\\$[./0-9A-Za-z]{31}")) {
                return PHPASS;
            }
            if (stored.matches("[0-9a-fA-F]{32}")) {
                return MD5;
            }
            if (stored.matches("[0-9a-fA-F]{40}")) {
                return SHA1;
            }
            if (stored.matches("[0-9a-fA-F]{64}")) {
                return SHA256;
            }
            return null;
        }
    }

    private static final Pattern DJANGO = Pattern.compile("pbkdf2_(sha1|sha256|sha512)\\$(\\d+)\\$([^$]+)\\$([^$]+)");
    private static final Pattern PHC = Pattern.compile("\\$(argon2id|argon2i|argon2d|scrypt)\\$(?:v=(\\d+)\\$)?"
            + "([^$]+)\\$([^$]+)\\$([^$]+)");
    private static final Pattern SSHA = Pattern.compile("\\{(SSHA|SSHA256|SSHA512)}(.+)");
    private static final Map<String, Integer> SSHA_LENGTH = Map.of("SSHA", 20, "SSHA256", 32, "SSHA512", 64);
    private static final Map<String, String> SSHA_DIGEST = Map.of("SSHA", "SHA-1", "SSHA256", "SHA-256",
            "SSHA512", "SHA-512");
    /** Beyond these a stored hash is hostile (a denial of service on the login), not legacy. */
    private static final int MAX_BCRYPT_COST = 14;
    private static final long MAX_PBKDF2_BLOCK_ITERATIONS = 5_000_000;
    private static final int MAX_MEMORY_KIB = 256 * 1024;
    private static final int MAX_PHPASS_LOG2 = 20;
    /** phpass's alphabet for its iteration count, salt and hash. */
    static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final String stored;
    private final Format format;

    private LegacyPasswordHash(String stored, Format format) {
        this.stored = stored;
        this.format = format;
    }

    /** The hash in its recognised format, or empty when no format fits (the user cannot sign in with it). */
    public static Optional<LegacyPasswordHash> parse(String stored) {
        if (stored == null || stored.isBlank() || stored.length() > 1024) {
            return Optional.empty();
        }
        String trimmed = stored.strip();
        return Optional.ofNullable(Format.of(trimmed)).map(format -> new LegacyPasswordHash(trimmed, format));
    }

    public Format format() {
        return format;
    }

    /** The hash as stored, for a credential that keeps it. */
    String stored() {
        return stored;
    }

    /** Whether the password is the one this hash was made of. A malformed hash matches nothing. */
    public boolean matches(String password) {
        if (password == null) {
            return false;
        }
        try {
            return switch (format) {
                case BCRYPT -> Integer.parseInt(stored.substring(4, 6)) <= MAX_BCRYPT_COST
                        && OpenBSDBCrypt.checkPassword(stored, password.toCharArray());
                case PBKDF2_DJANGO -> pbkdf2(password);
                case ARGON2, SCRYPT -> phc(password);
                case SALTED_SHA -> saltedSha(password);
                case PHPASS -> phpass(password);
                case MD5 -> hex("MD5", password);
                case SHA1 -> hex("SHA-1", password);
                case SHA256 -> hex("SHA-256", password);
            };
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private boolean pbkdf2(String password) throws GeneralSecurityException {
        Matcher m = DJANGO.matcher(stored);
        if (!m.matches()) {
            return false;
        }
        int iterations = m.group(2).length() > 9 ? -1 : Integer.parseInt(m.group(2));
        byte[] expected = Base64.getDecoder().decode(m.group(4));
        int digestLength = switch (m.group(1)) {
            case "sha1" -> 20;
            case "sha256" -> 32;
            default -> 64;
        };
        long blocks = (expected.length + digestLength - 1) / digestLength;
        if (iterations < 1 || expected.length == 0 || expected.length > 128
                || iterations * blocks > MAX_PBKDF2_BLOCK_ITERATIONS) {
            return false;
        }
        byte[] actual = SecretKeyFactory.getInstance("PBKDF2WithHmac" + m.group(1).toUpperCase(Locale.ROOT))
                .generateSecret(new PBEKeySpec(password.toCharArray(), m.group(3).getBytes(StandardCharsets.UTF_8),
                        iterations, expected.length * 8))
                .getEncoded();
        return MessageDigest.isEqual(expected, actual);
    }

    private boolean phc(String password) {
        Matcher m = PHC.matcher(stored);
        if (!m.matches()) {
            return false;
        }
        Map<String, Integer> params = parameters(m.group(3));
        byte[] salt = unpaddedBase64(m.group(4));
        byte[] expected = unpaddedBase64(m.group(5));
        if (expected.length == 0 || expected.length > 256) {
            return false;
        }
        byte[] actual = new byte[expected.length];
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        if (m.group(1).equals("scrypt")) {
            int ln = params.getOrDefault("ln", 0);
            int r = params.getOrDefault("r", 0);
            int p = params.getOrDefault("p", 0);
            if (ln < 1 || ln > 20 || r < 1 || p < 1 || (long) r * p > 64 || (1L << ln) * r * 128 > MAX_MEMORY_KIB * 1024L) {
                return false;
            }
            actual = SCrypt.generate(secret, salt, 1 << ln, r, p, expected.length);
        } else {
            int memory = params.getOrDefault("m", 0);
            int iterations = params.getOrDefault("t", 0);
            int lanes = params.getOrDefault("p", 0);
            if (memory < 8 || memory > MAX_MEMORY_KIB || iterations < 1 || iterations > 100 || lanes < 1 || lanes > 64) {
                return false;
            }
            int type = switch (m.group(1)) {
                case "argon2i" -> Argon2Parameters.ARGON2_i;
                case "argon2d" -> Argon2Parameters.ARGON2_d;
                default -> Argon2Parameters.ARGON2_id;
            };
            int version = m.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(m.group(2));
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(type).withVersion(version).withSalt(salt)
                    .withMemoryAsKB(memory).withIterations(iterations).withParallelism(lanes).build());
            generator.generateBytes(secret, actual);
        }
        return MessageDigest.isEqual(expected, actual);
    }

    private boolean saltedSha(String password) throws GeneralSecurityException {
        Matcher m = SSHA.matcher(stored);
        if (!m.matches()) {
            return false;
        }
        byte[] decoded = Base64.getDecoder().decode(m.group(2));
        int length = SSHA_LENGTH.get(m.group(1));
        if (decoded.length <= length) {
            return false;
        }
        MessageDigest digest = MessageDigest.getInstance(SSHA_DIGEST.get(m.group(1)));
        digest.update(password.getBytes(StandardCharsets.UTF_8));
        digest.update(decoded, length, decoded.length - length);
        return MessageDigest.isEqual(Arrays.copyOf(decoded, length), digest.digest());
    }

    /** MD5 of salt and password, then 2^n times MD5 of the last digest and the password; the digest in ITOA64. */
    private boolean phpass(String password) throws GeneralSecurityException {
        int log2 = ITOA64.indexOf(stored.charAt(3));
        if (log2 < 7 || log2 > MAX_PHPASS_LOG2) {
            return false;
        }
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(stored.substring(4, 12).getBytes(StandardCharsets.US_ASCII));
        byte[] digest = md5.digest(secret);
        for (int round = 0; round < 1 << log2; round++) {
            md5.update(digest);
            digest = md5.digest(secret);
        }
        String expected = stored.substring(0, 12) + itoa64(digest);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                stored.getBytes(StandardCharsets.US_ASCII));
    }

    /** phpass's encoding: six bits at a time, least significant first, in groups of three bytes. */
    static String itoa64(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length; i += 3) {
            int group = bytes[i] & 0xff;
            int chars = 2;
            if (i + 1 < bytes.length) {
                group |= (bytes[i + 1] & 0xff) << 8;
                chars = 3;
            }
            if (i + 2 < bytes.length) {
                group |= (bytes[i + 2] & 0xff) << 16;
                chars = 4;
            }
            for (int c = 0; c < chars; c++) {
                text.append(ITOA64.charAt((group >> (6 * c)) & 0x3f));
            }
        }
        return text.toString();
    }

    private boolean hex(String algorithm, String password) throws GeneralSecurityException {
        byte[] actual = MessageDigest.getInstance(algorithm).digest(password.getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(HexFormat.of().parseHex(stored.toLowerCase(Locale.ROOT)), actual);
    }

    private static Map<String, Integer> parameters(String list) {
        Map<String, Integer> params = new HashMap<>();
        for (String pair : list.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2 && kv[1].matches("\\d{1,9}")) {
                params.put(kv[0], Integer.parseInt(kv[1]));
            }
        }
        return params;
    }

    /** PHC strings use standard base64 without padding. */
    private static byte[] unpaddedBase64(String text) {
        return Base64.getDecoder().decode(text.replace('.', '+'));
    }
}
