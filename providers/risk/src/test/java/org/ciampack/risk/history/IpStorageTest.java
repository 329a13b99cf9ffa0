package org.ciampack.risk.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class IpStorageTest {

    private static final SecretKey KEY = new SecretKeySpec("a realm secret of enough length!".getBytes(StandardCharsets.UTF_8), "HmacSHA256");

    @Test
    void truncatedKeepsTheNetworkOnly() {
        assertThat(IpStorage.TRUNCATED.store("203.0.113.77", () -> KEY)).isEqualTo("203.0.113.0/24");
        assertThat(IpStorage.TRUNCATED.store("2001:db8:1234:5678::9", () -> KEY)).isEqualTo("2001:db8:1234:0:0:0:0:0/48");
    }

    @Test
    void hashedComparesEqualButCannotBeReadBack() {
        String once = IpStorage.HASHED.store("203.0.113.77", () -> KEY);
        assertThat(once).hasSize(32).doesNotContain("203");
        assertThat(IpStorage.HASHED.store("203.0.113.77", () -> KEY)).isEqualTo(once);
        assertThat(IpStorage.HASHED.store("203.0.113.78", () -> KEY)).isNotEqualTo(once);
    }

    @Test
    void noneAndJunkStoreNothing() {
        assertThat(IpStorage.NONE.store("203.0.113.77", () -> KEY)).isNull();
        assertThat(IpStorage.TRUNCATED.store("not-an-ip", () -> KEY)).isNull();
    }
}
