package org.ciampack.risk.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.ciampack.risk.Finding;
import org.ciampack.risk.LoginAttempt;
import org.ciampack.risk.net.IpAddress;
import org.junit.jupiter.api.Test;

class IpReputationSignalTest {

    private final RiskSignal signal = new IpReputationSignalFactory().create(null);
    private final Map<String, String> config = Map.of(
            IpReputationSignalFactory.DENY_LIST, "203.0.113.0/24##2001:db8:bad::/48",
            IpReputationSignalFactory.ALLOW_LIST, "198.51.100.0/24##203.0.113.5");

    @Test
    void deniedNetworkScoresFully() {
        assertThat(signal.evaluate(from("203.0.113.9"), config)).isEqualTo(Finding.of(1, "ip_denied"));
        assertThat(signal.evaluate(from("2001:db8:bad::1"), config)).isEqualTo(Finding.of(1, "ip_denied"));
    }

    @Test
    void allowedNetworkNeverScoresButSaysWhy() {
        assertThat(signal.evaluate(from("198.51.100.20"), config)).isEqualTo(Finding.note("ip_allowed"));
    }

    @Test
    void denyListWinsOverAllowList() {
        assertThat(signal.evaluate(from("203.0.113.5"), config).reason()).isEqualTo("ip_denied");
    }

    @Test
    void otherAndUnreadableAddressesDoNotScore() {
        assertThat(signal.evaluate(from("192.0.2.1"), config)).isEqualTo(Finding.NOTHING);
        assertThat(signal.evaluate(from("not-an-address"), config)).isEqualTo(Finding.note("ip_unknown"));
        assertThat(signal.evaluate(from("192.0.2.1"), Map.of())).isEqualTo(Finding.NOTHING);
    }

    private static LoginAttempt from(String address) {
        return LoginAttempt.bare("realm", "user", address, IpAddress.parse(address), "agent", Instant.now());
    }
}
