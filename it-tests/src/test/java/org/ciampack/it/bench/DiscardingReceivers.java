package org.ciampack.it.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receivers for the demo realm's export routes (the CRM webhook on 127.0.0.1:8090, syslog over TCP on
 * 127.0.0.1:5514) that take everything and keep nothing: with them the benchmark measures the export delivering,
 * as it does for an operator, instead of failing and retrying against closed ports.
 */
final class DiscardingReceivers implements AutoCloseable {

    private final HttpServer webhook;
    private final ServerSocket syslog;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong syslogBytes = new AtomicLong();

    private DiscardingReceivers(int webhookPort, int syslogPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        webhook = HttpServer.create(new InetSocketAddress(loopback, webhookPort), 64);
        webhook.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                requests.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        webhook.start();
        syslog = new ServerSocket(syslogPort, 64, loopback);
        Thread acceptor = new Thread(this::acceptSyslog, "bench-syslog");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static DiscardingReceivers start(int webhookPort, int syslogPort) throws IOException {
        return new DiscardingReceivers(webhookPort, syslogPort);
    }

    long webhookRequests() {
        return requests.get();
    }

    long syslogBytes() {
        return syslogBytes.get();
    }

    private void acceptSyslog() {
        while (!syslog.isClosed()) {
            try {
                Socket connection = syslog.accept();
                Thread reader = new Thread(() -> drain(connection), "bench-syslog-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void drain(Socket connection) {
        try (connection; InputStream in = connection.getInputStream()) {
            byte[] buffer = new byte[8192];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                syslogBytes.addAndGet(read);
            }
        } catch (IOException gone) {
            // the server closed its end
        }
    }

    @Override
    public void close() throws IOException {
        webhook.stop(0);
        syslog.close();
    }
}
