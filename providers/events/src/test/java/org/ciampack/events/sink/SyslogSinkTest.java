package org.ciampack.events.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.ciampack.common.AddressPolicy;
import org.junit.jupiter.api.Test;

/** The syslog sink against a plain TCP listener on this machine: whole rounds, in order, and a new connection. */
class SyslogSinkTest {

    /**
     * A host is a name or an address, as the sink connects to it: one with a port or a scheme in it, or any colon
     * outside an IPv6 address, or a vault expression (the sink reads the host as written), is refused when the route
     * is saved rather than at every send.
     */
    @Test
    void aHostThatIsNoNameOrAddressIsRefusedWhenSaved() {
        for (String host : List.of("logs.example.com", "siem-01", "203.0.113.7", "2001:db8::7", "[2001:db8::7]",
                "2001:0db8:0000:0000:0000:0000:0000:0007", "::ffff:203.0.113.7", "localhost.")) {
            assertThat(new SyslogSinkFactory().validate(JsonNodeFactory.instance.objectNode().put("host", host)))
                    .as(host).isEmpty();
        }
        for (String host : List.of("logs.example.com:6514", "203.0.113.7:6514", "db:514", "cafe:6514", ":", "[:]",
                "[2001:db8::7", "2001:db8::7]", "1:2:3", "::::", "1.2.3.4:5:6", ".::1", "tcp://logs.example.com",
                "logs.example.com/x", "logs example.com", " logs.example.com", "-logs.example.com", "siem:prod",
                "${vault.export-siem-host}")) {
            assertThat(new SyslogSinkFactory().validate(JsonNodeFactory.instance.objectNode().put("host", host)))
                    .as(host).containsExactly("settings.host must be a host name or an IP address, written in the "
                            + "route (no port, scheme, path or vault expression: the port is settings.port)");
        }
        assertThat(SyslogSinkFactory.unbracketed("[2001:db8::7]")).as("as a socket takes it").isEqualTo("2001:db8::7");
    }

    @Test
    void aRoundLargerThanATlsRecordArrivesWholeAndInOrderAndAClosedPeerGetsANewConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             ExportSink sink = new SyslogSinkFactory().open(context(listener.getLocalPort()))) {
            listener.setSoTimeout(10_000); // a sink that misses the closed connection fails the test, not hangs it
            List<OutgoingEvent> round = events("first", 200); // about 60 KB of frames
            SinkAnswer answer = sink.send(round);
            assertThat(answer.isDelivered()).as(answer.detail()).isTrue();
            try (Socket first = listener.accept()) {
                assertThat(messages(first.getInputStream(), 200)).containsExactlyElementsOf(bodies(round));
            } // the receiver restarts: it closes this connection

            List<OutgoingEvent> next = events("second", 3);
            answer = sink.send(next);
            assertThat(answer.isDelivered()).as(answer.detail()).isTrue();
            try (Socket second = listener.accept()) {
                assertThat(messages(second.getInputStream(), 3)).containsExactlyElementsOf(bodies(next));
            }
        }
    }

    @Test
    void aRoundThatCannotBeRenderedSendsNothingOfIt() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             ExportSink sink = new SyslogSinkFactory().open(context(listener.getLocalPort()))) {
            List<OutgoingEvent> broken = new ArrayList<>(events("broken", 2));
            broken.add(new OutgoingEvent("bad", Instant.now(), 9, "LOGIN", "event bad", false)); // no such severity
            assertThatThrownBy(() -> sink.send(broken)).isInstanceOf(IllegalArgumentException.class);

            List<OutgoingEvent> next = events("next", 2);
            SinkAnswer answer = sink.send(next);
            assertThat(answer.isDelivered()).as(answer.detail()).isTrue();
            try (Socket connection = listener.accept()) {
                assertThat(messages(connection.getInputStream(), 2)).as("the broken round's first frames not among them")
                        .containsExactlyElementsOf(bodies(next));
            }
        }
    }

    /** A receiver that takes the connection and never answers the TLS handshake holds a round for the connect limit. */
    @Test
    void aTlsHandshakeThatNeverAnswersEndsAtTheConnectLimit() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            try (ExportSink sink = new SyslogSinkFactory().open(tlsContext(listener.getLocalPort()))) {
                java.util.concurrent.CompletableFuture<SinkAnswer> answer =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> sink.send(events("silent", 1)));
                try (Socket silent = listener.accept()) {
                    SinkAnswer result = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(result.isDelivered()).isFalse();
                    assertThat(silent.isConnected()).isTrue();
                }
            }
        }
    }

    /** A receiver that trickles its handshake, a byte within each read timeout, still holds a round for the connect limit. */
    @Test
    void aTlsHandshakeTrickledByteByByteEndsAtTheConnectLimit() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            try (ExportSink sink = new SyslogSinkFactory().open(tlsContext(listener.getLocalPort()))) {
                long started = System.nanoTime();
                java.util.concurrent.CompletableFuture<SinkAnswer> answer =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> sink.send(events("trickled", 1)));
                try (Socket trickling = listener.accept()) {
                    java.io.OutputStream out = trickling.getOutputStream();
                    out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00}); // a handshake record of 16 KB, then its bytes
                    while (!answer.isDone() && System.nanoTime() - started < 10_000_000_000L) {
                        out.write(0);
                        out.flush();
                        Thread.sleep(200);
                    }
                    SinkAnswer result = answer.get(1, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(result.isDelivered()).isFalse();
                    assertThat((System.nanoTime() - started) / 1_000_000).as("ms until the round ended")
                            .isLessThan(3_000);
                } catch (java.net.SocketException closedByTheSink) {
                    assertThat(answer.get(1, java.util.concurrent.TimeUnit.SECONDS).isDelivered()).isFalse();
                    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
                }
            }
        }
    }

    /**
     * A receiver that takes the connection and stops reading: once the connection's buffers are full the write
     * would wait for ever; the round ends at the write limit, to be tried again, and the next round connects anew.
     */
    @Test
    void aReceiverThatStopsReadingHoldsARoundForTheWriteLimitOnly() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReceiveBufferSize(4096);
            listener.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.setSoTimeout(10_000);
            ObjectNode settings = JsonNodeFactory.instance.objectNode().put("host", "127.0.0.1")
                    .put("port", listener.getLocalPort()).put("writeTimeoutMs", 500);
            SinkContext context = new SinkContext("acme", "siem", settings, secret -> secret, null, "kc-test",
                    AddressPolicy.allowing(List.of("127.0.0.1/32")));
            try (ExportSink sink = new SyslogSinkFactory().open(context)) {
                String large = "y".repeat(64 * 1024);
                List<OutgoingEvent> flood = IntStream.range(0, 500).mapToObj(i -> new OutgoingEvent("flood-" + i,
                        Instant.now(), 6, "LOGIN", "event flood-" + i + " " + large, false)).toList(); // 32 MB
                java.util.concurrent.CompletableFuture<SinkAnswer> answer =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> sink.send(flood));
                try (Socket stalled = listener.accept()) {
                    SinkAnswer result = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(result.isDelivered()).isFalse();
                    assertThat(result.detail()).contains("did not read the round within 500 ms");

                    List<OutgoingEvent> next = events("after", 2);
                    SinkAnswer again = sink.send(next);
                    assertThat(again.isDelivered()).as(again.detail()).isTrue();
                    try (Socket fresh = listener.accept()) {
                        assertThat(messages(fresh.getInputStream(), 2)).containsExactlyElementsOf(bodies(next));
                    }
                }
            }
        }
    }

    @Test
    void timeLimitsOutsideTheirBoundsAreRefusedAndHeldToThemWhenTheyArriveAroundTheApi() {
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put("host", "siem.example.com")
                .put("connectTimeoutMs", 0);
        assertThat(new SyslogSinkFactory().validate(settings))
                .containsExactly("settings.connectTimeoutMs must be a whole number of milliseconds from 100 to 30000");
        assertThat(new SyslogSinkFactory().validate(JsonNodeFactory.instance.objectNode().put("host", "siem.example.com")
                .put("writeTimeoutMs", 3_600_000)))
                .containsExactly("settings.writeTimeoutMs must be a whole number of milliseconds from 100 to 60000");
        ObjectNode webhook = JsonNodeFactory.instance.objectNode().put("url", "https://hooks.example.com/in")
                .put("secret", "${vault.export-hook}").put("connectTimeoutMs", "3000").put("readTimeoutMs", 2_000_000_000);
        assertThat(new WebhookSinkFactory().validate(webhook)).containsExactly(
                "settings.connectTimeoutMs must be a whole number of milliseconds from 100 to 30000",
                "settings.readTimeoutMs must be a whole number of milliseconds from 100 to 60000");
        assertThat(new SplunkHecSinkFactory().validate(JsonNodeFactory.instance.objectNode()
                .put("url", "https://splunk.example.com:8088").put("token", "${vault.export-hec}")
                .put("connectTimeoutMs", 3000).put("readTimeoutMs", 10_000))).isEmpty();

        SinkContext unchecked = new SinkContext("acme", "siem", JsonNodeFactory.instance.objectNode()
                .put("connectTimeoutMs", 0).put("readTimeoutMs", 2_000_000_000), secret -> secret, null, "kc-test", null);
        assertThat(unchecked.millis(SinkTimeouts.CONNECT, 3000, SinkTimeouts.MAX_CONNECT_MILLIS)).isEqualTo(100);
        assertThat(unchecked.millis(SinkTimeouts.READ, 10_000, SinkTimeouts.MAX_READ_MILLIS)).isEqualTo(60_000);
    }

    /** TLS to a receiver on loopback, with a connect limit of 500 ms. */
    private static SinkContext tlsContext(int port) throws java.security.NoSuchAlgorithmException {
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put("host", "127.0.0.1").put("port", port)
                .put("tls", true).put("connectTimeoutMs", 500);
        return new SinkContext("acme", "siem", settings, secret -> secret, javax.net.ssl.SSLContext.getDefault(),
                "kc-test", AddressPolicy.allowing(List.of("127.0.0.1/32")));
    }

    private static SinkContext context(int port) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put("host", "127.0.0.1").put("port", port);
        return new SinkContext("acme", "siem", settings, secret -> secret, null, "kc-test",
                AddressPolicy.allowing(List.of("127.0.0.1/32")));
    }

    private static List<OutgoingEvent> events(String round, int count) {
        String padding = "x".repeat(250);
        return IntStream.range(0, count).mapToObj(i -> new OutgoingEvent(round + "-" + i, Instant.now(), 6, "LOGIN",
                "event " + round + "-" + i + " " + padding, false)).toList();
    }

    private static List<String> bodies(List<OutgoingEvent> events) {
        return events.stream().map(OutgoingEvent::body).toList();
    }

    /** Reads {@code count} RFC 6587 octet-counted frames and returns each message's text after its header. */
    private static List<String> messages(InputStream in, int count) throws IOException {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteArrayOutputStream length = new ByteArrayOutputStream();
            for (int b = in.read(); b != ' '; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection ended after " + i + " frames");
                }
                length.write(b);
            }
            byte[] frame = in.readNBytes(Integer.parseInt(length.toString(StandardCharsets.US_ASCII)));
            String message = new String(frame, StandardCharsets.UTF_8);
            messages.add(message.substring(message.indexOf("event ")));
        }
        return messages;
    }
}
