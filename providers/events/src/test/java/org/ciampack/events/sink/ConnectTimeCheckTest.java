package org.ciampack.events.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ciampack.common.AddressPolicy;
import org.junit.jupiter.api.Test;

/** Host names are judged by what they resolve to when the connection is made, not by how they are written. */
class ConnectTimeCheckTest {

    private static SinkContext context(ObjectNode settings, AddressPolicy policy) {
        return new SinkContext("acme", "r", settings, value -> value, null, "kc", policy);
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedBeforeAnyConnection() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             HttpPost post = new HttpPost(context(JsonNodeFactory.instance.objectNode(), AddressPolicy.DEFAULT),
                     "http://localhost:" + listener.getLocalPort() + "/in")) {
            SinkAnswer answer = post.post("application/json", "{}", Map.of());
            assertThat(answer.outcome()).isEqualTo(RetryPolicy.Outcome.REJECTED);
            assertThat(answer.detail()).as("a name: the class of its address is not told")
                    .isEqualTo("destination refused: localhost is not at an address this server connects to (an "
                            + "operator can allow its range with allowed-destinations)");
        }
    }

    @Test
    void syslogChecksTheAddressItConnectsTo() {
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put("host", "localhost").put("port", 5514);
        try (ExportSink sink = new SyslogSinkFactory().open(context(settings, AddressPolicy.DEFAULT))) {
            SinkAnswer answer = sink.send(List.of(new OutgoingEvent("id", Instant.now(), 6, "LOGIN", "body", false)));
            assertThat(answer.outcome()).isEqualTo(RetryPolicy.Outcome.REJECTED);
            assertThat(answer.detail()).contains("destination refused: localhost");
        }
    }

    @Test
    void anAllowedRangeIsReachedAndTheAnswerIsTheStatusOnly() throws IOException {
        try (ServerSocket closed = new ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            try (HttpPost post = new HttpPost(context(JsonNodeFactory.instance.objectNode(),
                    AddressPolicy.allowing(List.of("127.0.0.0/8", "::1/128"))), "http://localhost:" + port + "/in")) {
                SinkAnswer answer = post.post("application/json", "{}", Map.of());
                assertThat(answer.outcome()).as("allowed, but nothing listens").isEqualTo(RetryPolicy.Outcome.RETRY);
                assertThat(answer.detail()).isEqualTo(HttpPost.unreachable("localhost", port));
            }
        }
    }

    @Test
    void statusLinesUseTheStandardReason() {
        assertThat(HttpPost.statusLine(503)).isEqualTo("HTTP 503 Service Unavailable");
        assertThat(HttpPost.statusLine(299)).isEqualTo("HTTP 299");
    }
}
