package org.ciampack.risk.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrListTest {

    @Test
    void matchesIpv4Networks() {
        CidrList list = CidrList.parse("203.0.113.0/24, 198.51.100.7");

        assertThat(list.contains(ip("203.0.113.200"))).isTrue();
        assertThat(list.contains(ip("198.51.100.7"))).isTrue();
        assertThat(list.contains(ip("198.51.100.8"))).isFalse();
        assertThat(list.contains(ip("203.0.114.1"))).isFalse();
    }

    @Test
    void matchesIpv6NetworksAndMappedIpv4() {
        CidrList list = CidrList.parse("2001:db8:bad::/48##192.0.2.0/25");

        assertThat(list.contains(ip("2001:db8:bad:1::5"))).isTrue();
        assertThat(list.contains(ip("2001:db8:bae::5"))).isFalse();
        assertThat(list.contains(ip("::ffff:192.0.2.100"))).as("IPv4-mapped IPv6").isTrue();
        assertThat(list.contains(ip("192.0.2.200"))).isFalse();
    }

    @Test
    void keepsEntriesThatAreNoNetworksAside() {
        CidrList list = CidrList.parse("203.0.113.0/24 example.com 10.0.0.0/33 10.0.0.0/x");

        assertThat(list.networks()).hasSize(1);
        assertThat(list.rejected()).containsExactly("example.com", "10.0.0.0/33", "10.0.0.0/x");
    }

    @Test
    void emptyListMatchesNothing() {
        assertThat(CidrList.parse("  ").contains(ip("203.0.113.1"))).isFalse();
        assertThat(CidrList.parse(null).contains(ip("203.0.113.1"))).isFalse();
    }

    @Test
    void zeroPrefixIsEveryAddressOfItsFamily() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("198.51.100.1"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThatThrownBy(() -> Cidr.parse("::/129")).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress ip(String literal) {
        return IpAddress.parse(literal).orElseThrow();
    }
}
