package org.ciampack.events.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ciampack.common.AddressPolicy;
import org.junit.jupiter.api.Test;

/**
 * A receiver that trickles its answer, a byte now and then (each within the read timeout), holds a send no longer
 * than two connect timeouts and the read timeout: the send is aborted then, and retried later.
 */
class SendDeadlineTest {

    @Test
    void aTrickledAnswerIsCutOffAtTheSendsDeadline() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread trickler = new Thread(() -> trickle(listener), "trickler");
            trickler.setDaemon(true);
            trickler.start();
            ObjectNode settings = JsonNodeFactory.instance.objectNode().put(SinkTimeouts.CONNECT, 200)
                    .put(SinkTimeouts.READ, 500);
            SinkContext context = new SinkContext("acme", "r", settings, value -> value, null, "kc",
                    AddressPolicy.allowing(List.of("127.0.0.0/8")));
            try (HttpPost post = new HttpPost(context, "http://127.0.0.1:" + listener.getLocalPort() + "/in")) {
                long started = System.nanoTime();
                SinkAnswer answer = post.post("application/json", "{}", Map.of());
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(answer.outcome()).isEqualTo(RetryPolicy.Outcome.RETRY);
                assertThat(answer.detail()).isEqualTo("no whole answer from 127.0.0.1:" + listener.getLocalPort()
                        + " within 900 ms");
                assertThat(took).as("cut off at 2 x 200 + 500 ms, not when the receiver stops (10 s)")
                        .isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    /** A send answered in time leaves no deadline behind: a waiting one would hold the request and its body. */
    @Test
    void aSendAnsweredInTimeLeavesNoDeadlineWaiting() throws Exception {
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/in", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put(SinkTimeouts.READ, 60_000);
        SinkContext context = new SinkContext("acme", "r", settings, value -> value, null, "kc",
                AddressPolicy.allowing(List.of("127.0.0.0/8")));
        try (HttpPost post = new HttpPost(context, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/in")) {
            for (int i = 0; i < 20; i++) {
                assertThat(post.post("application/json", "{\"n\": " + i + "}", Map.of()).outcome())
                        .isEqualTo(RetryPolicy.Outcome.DELIVERED);
            }
            assertThat(HttpPost.deadlinesWaiting()).isZero();
        } finally {
            receiver.stop(0);
        }
    }

    /** Answers the first connection with a status line, then one header byte every 300 ms for 10 s. */
    private static void trickle(ServerSocket listener) {
        try (Socket connection = listener.accept()) {
            OutputStream out = connection.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 33; i++) {
                Thread.sleep(300);
                out.write('X');
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client gave up: what the test wants
        }
    }
}
