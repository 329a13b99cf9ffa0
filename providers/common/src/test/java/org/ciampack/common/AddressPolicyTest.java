package org.ciampack.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    private static String refusal(AddressPolicy policy, String address) throws Exception {
        return policy.refusal(InetAddress.getByName(address)).orElse(null);
    }

    @Test
    void internalAddressesAreRefusedByDefault() throws Exception {
        AddressPolicy policy = AddressPolicy.DEFAULT;
        assertThat(refusal(policy, "127.0.0.1")).contains("loopback");
        assertThat(refusal(policy, "127.0.0.2")).contains("loopback");
        assertThat(refusal(policy, "::1")).contains("loopback");
        assertThat(refusal(policy, "169.254.169.254")).contains("link-local");
        assertThat(refusal(policy, "fe80::1")).contains("link-local");
        assertThat(refusal(policy, "10.1.2.3")).contains("private");
        assertThat(refusal(policy, "172.16.0.1")).contains("private");
        assertThat(refusal(policy, "172.31.255.254")).contains("private");
        assertThat(refusal(policy, "192.168.1.1")).contains("private");
        assertThat(refusal(policy, "fd00:ec2::254")).contains("private");
        assertThat(refusal(policy, "100.100.100.200")).contains("shared");
        assertThat(refusal(policy, "224.0.0.1")).contains("multicast");
        assertThat(refusal(policy, "ff02::1")).contains("multicast");
        assertThat(refusal(policy, "0.0.0.0")).isNotNull();
        assertThat(refusal(policy, "::")).isNotNull();
        assertThat(refusal(policy, "255.255.255.255")).isNotNull();
    }

    @Test
    void ipv4HiddenInIpv6IsJudgedAsIpv4() throws Exception {
        AddressPolicy policy = AddressPolicy.DEFAULT;
        assertThat(refusal(policy, "::127.0.0.1")).contains("loopback");
        assertThat(refusal(policy, "64:ff9b::a9fe:a9fe")).contains("link-local");
        assertThat(refusal(policy, "2002:7f00:1::")).contains("loopback");
        assertThat(refusal(policy, "64:ff9b::808:808")).isNull();
        assertThat(refusal(policy, "64:ff9b:1:a:a9fe:a9fe::")).as("the local-use prefix, whatever it embeds")
                .contains("local-use NAT64");
    }

    @Test
    void publicAddressesPass() throws Exception {
        AddressPolicy policy = AddressPolicy.DEFAULT;
        assertThat(refusal(policy, "8.8.8.8")).isNull();
        assertThat(refusal(policy, "172.32.0.1")).isNull();
        assertThat(refusal(policy, "2606:4700::1111")).isNull();
        assertThat(refusal(policy, "100.128.0.1")).isNull();
    }

    @Test
    void anOperatorAllowsExactlyTheRangesNamed() throws Exception {
        AddressPolicy policy = AddressPolicy.allowing(List.of("127.0.0.1/32", " 10.20.0.0/16", "::1"));
        assertThat(refusal(policy, "127.0.0.1")).isNull();
        assertThat(refusal(policy, "127.0.0.2")).contains("loopback");
        assertThat(refusal(policy, "10.20.255.1")).isNull();
        assertThat(refusal(policy, "10.21.0.1")).contains("private");
        assertThat(refusal(policy, "::1")).isNull();
        assertThat(refusal(policy, "169.254.169.254")).contains("link-local");
        assertThat(AddressPolicy.allowing(List.of("10.0.0.0/9")).refusal(InetAddress.getByName("10.127.0.1"))).isEmpty();
        assertThat(AddressPolicy.allowing(List.of("10.0.0.0/9")).refusal(InetAddress.getByName("10.128.0.1"))).isPresent();
    }

    @Test
    void aBadRangeStopsTheServerWithItsName() {
        assertThatThrownBy(() -> AddressPolicy.allowing(List.of("intranet.example.com/24")))
                .hasMessageContaining("intranet.example.com/24");
        assertThatThrownBy(() -> AddressPolicy.allowing(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
    }

    @Test
    void aHostIsRefusedWhenNoneOfItsAddressesMayBeReached() {
        assertThatThrownBy(() -> AddressPolicy.DEFAULT.permitted("127.0.0.1"))
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("127.0.0.1 is a loopback address");
    }
}
