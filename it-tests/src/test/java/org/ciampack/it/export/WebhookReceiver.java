package org.ciampack.it.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.TestCertificates;

/**
 * A real HTTP receiver on a loopback port, as a CRM's or SIEM's webhook endpoint would be: it keeps every request
 * (headers and body), answers with the status the test chooses (200 by default), or not at all (a hung receiver),
 * and can be stopped and started again on the same port (a receiver that is down).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(Instant at, String path, Map<String, String> headers, String body) {
        public JsonNode json() {
            return Http.json(body);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final String host;
    private final int port;
    private final boolean tls;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger arrivals = new AtomicInteger();
    private volatile int status = 200;
    private volatile String answerBody;
    private volatile URI redirect;
    private volatile Duration delay = Duration.ZERO;
    private volatile String refuseOnceContaining;
    private HttpServer server;

    private WebhookReceiver(String host, int port, boolean tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    public static WebhookReceiver start() {
        return startOn("127.0.0.1");
    }

    /** A receiver on another loopback address, e.g. 127.0.0.2 (all of 127.0.0.0/8 is loopback on Linux). */
    public static WebhookReceiver startOn(String address) {
        WebhookReceiver receiver = new WebhookReceiver(address, freePort(), false);
        receiver.up();
        return receiver;
    }

    /** An HTTPS receiver whose certificate no one trusts: every TLS handshake with it fails. */
    public static WebhookReceiver startUntrustedTls() {
        WebhookReceiver receiver = new WebhookReceiver("127.0.0.1", freePort(), true);
        receiver.up();
        return receiver;
    }

    public URI url(String path) {
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + port + path);
    }

    public int port() {
        return port;
    }

    public WebhookReceiver answering(int status) {
        this.status = status;
        return this;
    }

    /** Answers 503 to the first request whose body contains {@code text}; the others as usual. */
    public WebhookReceiver refusingOnce(String text) {
        this.refuseOnceContaining = text;
        return this;
    }

    /** Answers with this body instead of the usual short JSON (e.g. what an internal service would reveal). */
    public WebhookReceiver answeringBody(String body) {
        this.answerBody = body;
        return this;
    }

    /** Answers 307 with a Location header pointing there. */
    public WebhookReceiver redirectingTo(URI location) {
        this.redirect = location;
        this.status = 307;
        return this;
    }

    /** Answers only after {@code delay}: longer than the sink's read timeout, and the sink sees a timeout. */
    public WebhookReceiver hanging(Duration delay) {
        this.delay = delay;
        return this;
    }

    public synchronized void up() {
        try {
            if (tls) {
                HttpsServer https = HttpsServer.create(new InetSocketAddress(host, port), 64);
                https.setHttpsConfigurator(new HttpsConfigurator(untrustedTls()));
                server = https;
            } else {
                server = HttpServer.create(new InetSocketAddress(host, port), 64);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    /** Stops listening: connections are refused until {@link #up()}. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            arrivals.incrementAndGet();
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            received.add(new Received(Instant.now(), exchange.getRequestURI().getPath(), headers, body));
            byte[] answer = answerBody != null ? answerBody.getBytes(StandardCharsets.UTF_8)
                    : status == 200 ? "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)
                    : ("{\"error\":\"status " + status + " chosen by the test\"}").getBytes(StandardCharsets.UTF_8);
            if (redirect != null) {
                exchange.getResponseHeaders().add("Location", redirect.toString());
            }
            int answerStatus = status;
            synchronized (this) {
                if (refuseOnceContaining != null && body.contains(refuseOnceContaining)) {
                    refuseOnceContaining = null;
                    answerStatus = 503;
                }
            }
            exchange.sendResponseHeaders(answerStatus, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /** Requests that came in so far, answered or not yet (one {@link #hanging} may be holding). */
    public int arrivals() {
        return arrivals.get();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Every event received so far: each request's JSON object, or each element of a batch's JSON array. */
    public List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (Received request : received) {
            JsonNode json = request.json();
            if (json.isArray()) {
                json.forEach(events::add);
            } else {
                events.add(json);
            }
        }
        return events;
    }

    /** Waits until an event matching {@code condition} arrived; fails after {@code timeout}. */
    public JsonNode await(Predicate<JsonNode> condition, Duration timeout, String what) {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            for (JsonNode event : events()) {
                if (condition.test(event)) {
                    return event;
                }
            }
            Pause.millis(100);
        }
        throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s; received "
                + events().stream().map(event -> event.path("type").asText(event.path("event_type").asText("?"))).toList());
    }


    private static SSLContext untrustedTls() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            char[] password = TestCertificates.KEYSTORE_PASSWORD.toCharArray();
            try (InputStream in = Files.newInputStream(TestCertificates.ensure().untrustedKeyStore())) {
                store.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the untrusted test certificate", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        down();
    }
}
