package org.ciampack.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ciampack.common.AddressPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The check at connect time, with a listener on loopback standing for the server's own network, and with the two
 * drivers that take the factory (the versions Keycloak ships) making their sockets from it by its class name.
 */
class CheckedSocketFactoryTest {

    @AfterEach
    void serverPolicyBack() {
        CheckedSocketFactory.policy(AddressPolicy.DEFAULT);
    }

    @Test
    void aSocketToAnAddressThePolicyRefusesConnectsNowhere() throws IOException {
        try (ServerSocket listener = listener()) {
            CheckedSocketFactory.policy(AddressPolicy.DEFAULT);

            assertThatThrownBy(() -> new CheckedSocketFactory().createSocket("127.0.0.1", listener.getLocalPort()))
                    .isInstanceOf(ConnectException.class).hasMessageNotContaining("127.0.0.1");
            assertThat(accepted(listener)).isFalse();
        }
    }

    @Test
    void aSocketToAnAllowedAddressConnects() throws IOException {
        try (ServerSocket listener = listener()) {
            CheckedSocketFactory.policy(AddressPolicy.allowing(List.of("127.0.0.1/32")));

            try (Socket socket = new CheckedSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    listener.getLocalPort())) {
                assertThat(socket.isConnected()).isTrue();
                assertThat(accepted(listener)).isTrue();
            }
        }
    }

    @Test
    void postgresqlsDriverMakesItsSocketsFromTheFactory() throws Exception {
        assertTheDriverUsesTheFactory(new org.postgresql.Driver(), "jdbc:postgresql://127.0.0.1:%d/shop", "5");
    }

    @Test
    void mariadbsDriverMakesItsSocketsFromTheFactory() throws Exception {
        assertTheDriverUsesTheFactory(new org.mariadb.jdbc.Driver(), "jdbc:mariadb://127.0.0.1:%d/shop", "5000");
    }

    /** {@code timeout}: pgjdbc reads seconds, MariaDB's driver milliseconds. */
    private static void assertTheDriverUsesTheFactory(Driver driver, String url, String timeout) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", "shop");
        properties.setProperty("password", "secret");
        properties.setProperty("connectTimeout", timeout);
        properties.setProperty("socketTimeout", timeout);
        properties.setProperty("socketFactory", CheckedSocketFactory.class.getName());
        try (ServerSocket listener = listener()) {
            String address = url.formatted(listener.getLocalPort());

            CheckedSocketFactory.policy(AddressPolicy.DEFAULT);
            assertThatThrownBy(() -> driver.connect(address, properties)).isInstanceOf(SQLException.class);
            assertThat(accepted(listener)).as("refused before any connection").isFalse();

            CheckedSocketFactory.policy(AddressPolicy.allowing(List.of("127.0.0.1/32")));
            CompletableFuture<Void> connecting = CompletableFuture.runAsync(() -> {
                try {
                    driver.connect(address, properties).close();
                } catch (SQLException e) {
                    // the listener is no database: what counts is that it was reached
                }
            });
            assertThat(accepted(listener)).as("allowed: the driver reaches the address").isTrue();
            connecting.get(30, TimeUnit.SECONDS);
        }
    }

    private static ServerSocket listener() throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.setSoTimeout(1_000);
        return listener;
    }

    /** Whether a connection came within a second; it is closed at once. */
    private static boolean accepted(ServerSocket listener) throws IOException {
        try (Socket ignored = listener.accept()) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
