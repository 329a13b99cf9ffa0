package org.ciampack.events.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.ciampack.common.AddressPolicy;
import org.ciampack.common.DestinationRefusedException;
import org.ciampack.events.format.SyslogFrame;
import org.jboss.logging.Logger;

/**
 * Syslog, RFC 5424 messages over TCP with RFC 6587 octet counting, or over TLS (RFC 5425; the server's certificate
 * is checked against Keycloak's truststore and its host name). Settings: {@code host}, {@code port} (514, or 6514
 * with TLS), {@code tls}, {@code appName} (default {@code keycloak}), {@code facility} (default 10, authpriv).
 * One connection per route, kept open and re-opened after an error, always to an address the address policy has
 * just checked (the host is resolved once and the socket connects to that very address). Syslog has no
 * acknowledgement: a round's events count as delivered once they are written to a connection that the peer had not
 * closed just before (checked at each round); what a peer closing in those microseconds never reads is lost, as
 * with any plain syslog sender. A round must be written within {@code writeTimeoutMs} (default 10,000): a receiver
 * that stops reading fills the connection's buffers, and the write would otherwise wait for ever, holding the route
 * (and an admin's test delivery) with it.
 */
public final class SyslogSinkFactory implements ExportSinkFactory {

    public static final String ID = "syslog";
    private static final Logger LOG = Logger.getLogger(SyslogSinkFactory.class);
    /** Closes connections whose round is not written in time; a socket's blocking write has no timeout of its own. */
    private static final ScheduledThreadPoolExecutor DEADLINES = SendDeadlines.timer("ciam-export-syslog-deadline");

    private static final String LATE = "late";
    private static final String WRITTEN = "written";

    /** A DNS name or an IPv4 address; anything with a colon must be an IPv6 address, bare or in brackets. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?");
    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    /** Whether the setting names a host as the sink can connect to it: no port, scheme, path or vault expression. */
    static boolean isHost(String host) {
        if (NAME.matcher(host).matches()) {
            return true;
        }
        String bare = unbracketed(host);
        if (bare.indexOf(':') < 0 || !IPV6_TEXT.matcher(bare).matches()) {
            return false;
        }
        try {
            // starting with a hex digit or a colon, the JDK reads it as an address, without DNS, or refuses it
            InetAddress.getByName(bare);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv6 address without its brackets, as a socket and TLS's host name check take it. */
    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public List<String> validate(ObjectNode settings) {
        List<String> problems = new ArrayList<>();
        String host = settings.path("host").asText("");
        if (host.isBlank()) {
            problems.add("settings.host is missing");
        } else if (!isHost(host)) {
            // refused at every send otherwise (a colon outside an IPv6 address never reaches the system's resolver)
            problems.add("settings.host must be a host name or an IP address, written in the route (no port, scheme, "
                    + "path or vault expression: the port is settings.port)");
        }
        if (settings.has("port") && (settings.get("port").asInt(0) < 1 || settings.get("port").asInt(0) > 65535)) {
            problems.add("settings.port must be 1-65535");
        }
        if (settings.has("facility") && (settings.get("facility").asInt(-1) < 0 || settings.get("facility").asInt(-1) > 23)) {
            problems.add("settings.facility must be 0-23");
        }
        SinkTimeouts.check(settings, List.of(SinkTimeouts.CONNECT, SinkTimeouts.WRITE), problems);
        return problems;
    }

    @Override
    public ExportSink open(SinkContext context) {
        return new SyslogSink(context);
    }

    private static final class SyslogSink implements ExportSink {
        private final String host;
        private final int port;
        private final boolean tls;
        private final SinkContext context;
        private final String appName;
        private final int facility;
        private final int connectTimeout;
        private final int writeTimeout;
        private Socket socket;
        /** The TCP connection under {@link #socket} (itself, or under TLS the one the TLS socket is layered on). */
        private Socket tcp;
        private OutputStream out;

        SyslogSink(SinkContext context) {
            this.context = context;
            this.host = unbracketed(context.text("host", "localhost"));
            this.tls = context.settings().path("tls").asBoolean(false);
            this.port = context.integer("port", tls ? 6514 : 514);
            this.appName = context.text("appName", "keycloak");
            this.facility = context.integer("facility", SyslogFrame.FACILITY_AUTHPRIV);
            this.connectTimeout = context.millis(SinkTimeouts.CONNECT, 3000, SinkTimeouts.MAX_CONNECT_MILLIS);
            this.writeTimeout = context.millis(SinkTimeouts.WRITE, 10_000, SinkTimeouts.MAX_READ_MILLIS);
        }

        @Override
        public synchronized SinkAnswer send(List<OutgoingEvent> events) {
            // The round's frames are made first and written at once: one write (over TLS, records of up to 16 KB)
            // rather than one per message, and a frame that cannot be made leaves nothing half-sent on the connection.
            ByteArrayOutputStream round = new ByteArrayOutputStream();
            for (OutgoingEvent event : events) {
                round.writeBytes(SyslogFrame.frame(SyslogFrame.message(facility, event.severity(), event.time(),
                        context.hostname(), appName, event.type(), event.body())));
            }
            // Whoever comes first, the round's end or its deadline, decides: a deadline that closed the connection
            // makes the round a retry even if the write had just returned, as its last bytes may never leave.
            AtomicReference<String> outcome = new AtomicReference<>();
            try {
                OutputStream stream = connection();
                Socket writing = tcp; // not the TLS socket: closing that would wait for the blocked writer's lock
                ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
                    if (outcome.compareAndSet(null, LATE)) {
                        close(writing); // ends the blocked write with an exception
                    }
                }, writeTimeout, TimeUnit.MILLISECONDS);
                try {
                    round.writeTo(stream);
                    stream.flush();
                } finally {
                    deadline.cancel(false);
                }
                if (!outcome.compareAndSet(null, WRITTEN)) {
                    disconnect();
                    return SinkAnswer.retry(notRead());
                }
                return SinkAnswer.delivered(events.size() + " message(s) written to " + host + ":" + port);
            } catch (DestinationRefusedException e) {
                disconnect();
                LOG.debugf("Syslog export to %s refused: it resolves to %s", host, e.reason());
                return SinkAnswer.rejected(e.getMessage());
            } catch (SSLException e) {
                disconnect();
                LOG.debugf("Syslog export to %s:%d: TLS error: %s", host, port, e.getMessage());
                return SinkAnswer.retry(LATE.equals(outcome.get()) ? notRead() : HttpPost.TLS_ERROR);
            } catch (IOException e) {
                disconnect();
                LOG.debugf("Syslog export to %s:%d: %s", host, port, e.toString());
                return SinkAnswer.retry(LATE.equals(outcome.get()) ? notRead() : HttpPost.unreachable(host, port));
            }
        }

        private String notRead() {
            return "syslog receiver " + host + ":" + port + " did not read the round within " + writeTimeout + " ms";
        }

        /** The open connection; one the peer has closed (a read sees its end) is replaced first. */
        private OutputStream connection() throws IOException {
            if (socket != null && peerClosed()) {
                disconnect();
            }
            if (socket == null) {
                Socket plain = connected();
                try {
                    plain.setKeepAlive(true);
                    if (tls) {
                        SSLSocket secure = (SSLSocket) context.tls().getSocketFactory().createSocket(plain, host, port, true);
                        SSLParameters parameters = secure.getSSLParameters();
                        parameters.setEndpointIdentificationAlgorithm("HTTPS");
                        secure.setSSLParameters(parameters);
                        // A receiver that accepts and never answers the handshake, or trickles it, must not hold
                        // the round: the whole handshake gets the connect timeout.
                        secure.setSoTimeout(connectTimeout);
                        ScheduledFuture<?> handshakeDeadline = DEADLINES.schedule(() -> close(plain), connectTimeout,
                                TimeUnit.MILLISECONDS);
                        try {
                            secure.startHandshake();
                        } finally {
                            handshakeDeadline.cancel(false);
                        }
                        secure.setSoTimeout(0);
                        socket = secure;
                    } else {
                        socket = plain;
                    }
                    tcp = plain;
                } catch (IOException e) {
                    plain.close();
                    throw e;
                }
                out = socket.getOutputStream();
            }
            return out;
        }

        /**
         * A socket connected to the first permitted address of the host that answers. It comes from a channel, so
         * that {@link #peerClosed} can look for the peer's end of the connection without waiting.
         */
        private Socket connected() throws IOException {
            IOException last = null;
            AddressPolicy policy = context.destinations() == null ? AddressPolicy.DEFAULT : context.destinations();
            List<InetAddress> addresses = policy.permitted(host, context.realmName(),
                    Duration.ofMillis(Math.max(connectTimeout, HttpPost.MIN_LOOKUP_MILLIS)));
            for (InetAddress address : addresses.stream().limit(HttpPost.MAX_ADDRESSES).toList()) {
                Socket plain = SocketChannel.open().socket();
                try {
                    plain.connect(new InetSocketAddress(address, port), connectTimeout);
                    return plain;
                } catch (IOException e) {
                    plain.close();
                    last = e;
                }
            }
            throw last;
        }

        /**
         * Whether the receiver has closed the connection (a syslog receiver never writes to it, so a read sees either
         * nothing or the end). A plain connection is read without blocking; over TLS the read goes through the TLS
         * layer, which must see the receiver's own messages (session tickets, its close notice), and waits 1 ms.
         */
        private boolean peerClosed() {
            SocketChannel channel = socket.getChannel();
            if (channel != null) {
                try {
                    channel.configureBlocking(false);
                    try {
                        return channel.read(ByteBuffer.allocate(1)) < 0;
                    } finally {
                        channel.configureBlocking(true);
                    }
                } catch (IOException e) {
                    return true;
                }
            }
            try {
                socket.setSoTimeout(1);
                InputStream in = socket.getInputStream();
                return in.read() == -1;
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        private void disconnect() {
            if (socket != null) {
                close(socket);
            }
            socket = null;
            tcp = null;
            out = null;
        }

        private static void close(Socket connection) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing more to do
            }
        }

        @Override
        public synchronized void close() {
            disconnect();
        }
    }
}
