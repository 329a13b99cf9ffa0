package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.ciampack.federation.LegacyPasswordHash.Format;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hashes made once by other implementations than the ones checking them: bcrypt, Argon2id, scrypt and PBKDF2 by the
 * npm package hash-wasm 4.13.0, salted and plain digests by Node.js's crypto, phpass by the npm package
 * wordpress-hash-node 1.0.0 (given the password's UTF-8 bytes, as PHP hashes them; the {@code $H$} twin is phpBB's
 * prefix on the same hash), all of the password {@value #PASSWORD}
 * (the integration test's legacy store is written the same way, {@code it-tests/src/test/node/legacy-customers.cjs}).
 */
class LegacyPasswordHashTest {

    private static final String PASSWORD = "Legacy-Pässword-1";

    static final Map<String, Format> HASHES = Map.ofEntries(
            Map.entry("$2a$04$KBCwKxOzLha2MUDgW0PjXe071WH99HKOQLdtbxWyQea1LWO0cd7sW", Format.BCRYPT),
            Map.entry("$argon2id$v=19$m=512,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$yySYjrKO5d1+mDU2BtMpv6bOPhL2PKgLs9dvcD2h/JU",
                    Format.ARGON2),
            Map.entry("$scrypt$ln=10,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$JXR2Zj0dgh3+3/iVhvyS9ZBE1mkZvmhHMhiQvBng/Vs",
                    Format.SCRYPT),
            Map.entry("pbkdf2_sha256$1000$djangosalt$l83Zb/yXFi2E1DLAu3u7wmA2ITjX3au3s6tH3oLU8BE=", Format.PBKDF2_DJANGO),
            Map.entry("pbkdf2_sha1$1000$djangosalt$5tTErW1iTMpy1FvdqtEc/j2U7EI=", Format.PBKDF2_DJANGO),
            Map.entry("pbkdf2_sha512$1000$djangosalt$84F+pk1fJqUlg+kExl4B5o5EAnOzDYcka7ImiML06Og=", Format.PBKDF2_DJANGO),
            Map.entry("{SSHA}/YtTiiUGaq48WMhk1DJIwtDGfhQwMTIzNDU2Nzg5YWJjZGVm", Format.SALTED_SHA),
            Map.entry("{SSHA256}1SdbZnF/yas8+SEsMkgIH64LjyIVGzY2ZWJpU4kGMKIwMTIzNDU2Nzg5YWJjZGVm", Format.SALTED_SHA),
            Map.entry("{SSHA512}Cf6Q0XHKMiv89cvB2W2Rz9PHL/3rvxDQRSPWd6AblcnKTQp+jFrjfczmNqLG19Py1mpDm43+1E7QSlNCyIVqUTAx"
                    + "MjM0NTY3ODlhYmNkZWY=", Format.SALTED_SHA),
            Map.entry("$P$BndZGncYS8B5ihv4N14kZIt1cK4hoq1", Format.PHPASS),
            Map.entry("$H$BndZGncYS8B5ihv4N14kZIt1cK4hoq1", Format.PHPASS),
            Map.entry("a7b05748eba45f389e86e932d1e24d8b", Format.MD5),
            Map.entry("66d7eb22f793cc6577cc0ddc4178d7f2729805c0", Format.SHA1),
            Map.entry("2e9496d1e0577b4aeb02d971811f040be9604c09276799d2f14a547bc558aae6", Format.SHA256));

    static Iterable<String> hashes() {
        return HASHES.keySet();
    }

    @ParameterizedTest
    @MethodSource("hashes")
    void eachFormatIsRecognisedAndMatchesItsPasswordOnly(String stored) {
        LegacyPasswordHash hash = LegacyPasswordHash.parse(stored).orElseThrow();

        assertThat(hash.format()).isEqualTo(HASHES.get(stored));
        assertThat(hash.matches(PASSWORD)).isTrue();
        assertThat(hash.matches("Legacy-Password-1")).as("one letter off").isFalse();
        assertThat(hash.matches("")).isFalse();
        assertThat(hash.matches(null)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void phpassMatchesTheVectorOfItsOwnTestSuite() {
        // phpass 0.3's test.php: test12345 hashed with 2^11 rounds; checked by wordpress-hash-node as well
        assertThat(LegacyPasswordHash.parse("$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0").orElseThrow().matches("test12345"))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "plain-text-password", "$2a$04$short", "pbkdf2_sha256$x$salt$hash",
            "$argon2id$v=19$m=4194304,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$yySYjrKO5d1+mDU2BtMpv6bOPhL2PKgLs9dvcD2h/JU",
            "pbkdf2_sha256$999999999$djangosalt$l83Zb/yXFi2E1DLAu3u7wmA2ITjX3au3s6tH3oLU8BE=",
            "$scrypt$ln=30,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$JXR2Zj0dgh3+3/iVhvyS9ZBE1mkZvmhHMhiQvBng/Vs",
            "{SSHA}!!notbase64!!", "{SSHA256}AAAA",
            "$2a$31$KBCwKxOzLha2MUDgW0PjXe071WH99HKOQLdtbxWyQea1LWO0cd7sW",
            "$P$ZndZGncYS8B5ihv4N14kZIt1cK4hoq1", "$P$BndZGncYS8B5ihv4N14kZIt1cK4hoq"})
    void malformedOrHostileHashesMatchNothing(String stored) {
        assertThat(LegacyPasswordHash.parse(stored).map(hash -> hash.matches(PASSWORD)).orElse(false)).isFalse();
    }
}
