package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ciampack.common.AddressPolicy;
import org.junit.jupiter.api.Test;

class DatabaseDestinationsTest {

    /** Names as a DNS of the attacker's could answer them. */
    private static final Map<String, String[]> DNS = Map.of(
            "legacy-db.example.com", new String[] {"203.0.113.40"},
            "public-and-loopback.example.com", new String[] {"203.0.113.41", "127.0.0.1"},
            "internal-db.corp", new String[] {"10.20.0.15"});

    private static InetAddress[] resolve(String host, String owner, Duration limit) throws UnknownHostException {
        String[] answer = DNS.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] addresses = new InetAddress[answer.length];
        for (int i = 0; i < answer.length; i++) {
            addresses[i] = InetAddress.getByName(answer[i]);
        }
        return addresses;
    }

    @Test
    void everyAddressOfANameMustBeAllowedForADriverMayTryEach() {
        DatabaseDestinations destinations = new DatabaseDestinations(AddressPolicy.DEFAULT,
                DatabaseDestinationsTest::resolve);

        assertThat(destinations.refusalOnSave("legacy-db.example.com", "acme")).isEmpty();
        assertThat(destinations.refusalOnSave("public-and-loopback.example.com", "acme")).get().asString()
                .isEqualTo("The JDBC URL's host public-and-loopback.example.com is not one this server connects to: "
                        + "a legacy database must be at a public address unless the operator allows its range with "
                        + "the server option spi-storage--ciam-legacy-jdbc--allowed-destinations");
        assertThat(destinations.refusalOnSave("internal-db.corp", "acme")).isPresent();
        assertThat(destinations.refusalOnSave("not-yet-in-dns.corp", "acme"))
                .as("saved: its connections fail as a database that is down").isEmpty();
        assertThatThrownBy(() -> destinations.refusal("not-yet-in-dns.corp", "acme", Duration.ofSeconds(2)))
                .as("at a connection").isInstanceOf(UnknownHostException.class);
    }

    @Test
    void theOperatorAllowsTheirOwnRanges() throws UnknownHostException {
        DatabaseDestinations destinations = new DatabaseDestinations(AddressPolicy.allowing(List.of("10.20.0.0/24")),
                DatabaseDestinationsTest::resolve);

        assertThat(destinations.refusal("internal-db.corp", "acme", Duration.ofSeconds(2))).isEmpty();
        assertThat(destinations.refusal("public-and-loopback.example.com", "acme", Duration.ofSeconds(2)))
                .isPresent();
    }
}
