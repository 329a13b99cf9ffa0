package org.ciampack.risk.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.7", " 198.51.100.1 ", "2001:db8::1", "[2001:db8::1]", "::ffff:192.0.2.1", "::1"})
    void readsIpLiterals(String literal) {
        assertThat(IpAddress.parse(literal)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-an-ip", "999.1.1.1", "203.0.113", "203.0.113.7.9", "localhost", "example.com",
            "203.0.113.7, 198.51.100.1", "1.2.3.04a", "unknown", "<script>alert(1)</script>", "2001:db8::g"})
    void refusesEverythingElseWithoutLookingItUp(String junk) {
        assertThat(IpAddress.parse(junk)).isEmpty();
    }

    @Test
    void refusesNullAndHugeInput() {
        assertThat(IpAddress.parse(null)).isEmpty();
        assertThat(IpAddress.parse("1".repeat(100_000))).isEmpty();
        assertThat(IpAddress.parse(":".repeat(100_000))).isEmpty();
    }
}
