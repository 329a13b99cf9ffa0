package org.ciampack.consent.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PseudonymTest {

    private static final String USER = "5f0c7c1e-2b7a-4a57-9d3e-0a8f8d1c2b3a";

    @Test
    void theKeyedPseudonymIsTheHmacOfTheUserIdAndNotItsPlainHash() throws Exception {
        byte[] key = "ledger-key-for-tests".getBytes(StandardCharsets.UTF_8);
        String pseudonym = Pseudonym.keyed(Pseudonym.VAULT, key, USER);
        // RFC 2104 HMAC-SHA256 computed independently of javax.crypto.Mac: H((K ^ opad) || H((K ^ ipad) || m))
        byte[] block = new byte[64];
        System.arraycopy(key, 0, block, 0, key.length);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] inner = new byte[64];
        byte[] outer = new byte[64];
        for (int i = 0; i < 64; i++) {
            inner[i] = (byte) (block[i] ^ 0x36);
            outer[i] = (byte) (block[i] ^ 0x5c);
        }
        sha.update(inner);
        byte[] innerHash = sha.digest(USER.getBytes(StandardCharsets.UTF_8));
        sha.update(outer);
        byte[] hmac = sha.digest(innerHash);
        assertThat(pseudonym).isEqualTo("vault:" + HexFormat.of().formatHex(hmac, 0, 28));
        String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(USER.getBytes(StandardCharsets.UTF_8)), 0, 28);
        assertThat(pseudonym).doesNotContain(plain);
        assertThat(pseudonym.length()).as("fits the receipt's user column").isLessThanOrEqualTo(64);
    }

    @Test
    void anotherKeyGivesAnotherPseudonymAndTheRandomOneLinksToNothing() {
        String one = Pseudonym.keyed(Pseudonym.REALM, "key-one".getBytes(StandardCharsets.UTF_8), USER);
        String two = Pseudonym.keyed(Pseudonym.REALM, "key-two".getBytes(StandardCharsets.UTF_8), USER);
        assertThat(one).startsWith("realm:").isNotEqualTo(two);
        assertThat(Pseudonym.unlinkable()).startsWith("random:").hasSize(63).isNotEqualTo(Pseudonym.unlinkable());
    }
}
