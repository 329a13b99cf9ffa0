package org.ciampack.it.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.ciampack.it.harness.Pause;
import org.ciampack.it.harness.Settings;
import org.ciampack.it.harness.TestCertificates;

/**
 * Debian's rsyslog, started as a process of its own on two loopback ports: plain TCP, and TLS (RFC 5425, OpenSSL
 * driver, the test CA's certificate for localhost). It parses what it receives as syslog and writes one line per
 * message with the fields it parsed: {@code PRI|TIMESTAMP|HOSTNAME|APP-NAME|MSGID|MSG}, one file per listener.
 */
final class RsyslogReceiver implements AutoCloseable {

    /** One message as rsyslog parsed it. */
    record Line(int pri, String timestamp, String hostname, String appName, String msgId, String msg) {
        static Line parse(String text) {
            String[] fields = text.split("\\|", 6);
            return new Line(Integer.parseInt(fields[0]), fields[1], fields[2], fields[3], fields[4], fields[5]);
        }
    }

    private final Path dir;
    private final int tcpPort;
    private final int tlsPort;
    private final Process process;

    private RsyslogReceiver(Path dir, int tcpPort, int tlsPort, Process process) {
        this.dir = dir;
        this.tcpPort = tcpPort;
        this.tlsPort = tlsPort;
        this.process = process;
    }

    static RsyslogReceiver start() {
        TestCertificates tls = TestCertificates.ensure();
        Path dir = Settings.output().resolve("rsyslog-" + System.nanoTime());
        int tcpPort = WebhookReceiver.freePort();
        int tlsPort = WebhookReceiver.freePort();
        String config = String.join("\n",
                "global(workDirectory=\"" + dir + "\"",
                "  DefaultNetstreamDriverCAFile=\"" + tls.caCertificate() + "\"",
                "  DefaultNetstreamDriverCertFile=\"" + tls.serverCertificate() + "\"",
                "  DefaultNetstreamDriverKeyFile=\"" + tls.serverKey() + "\")",
                "module(load=\"imtcp\")",
                "template(name=\"fields\" type=\"string\" string=\"%pri%|%timereported:::date-rfc3339%|%hostname%|%app-name%|%msgid%|%msg%\\n\")",
                "ruleset(name=\"plain\") { action(type=\"omfile\" file=\"" + dir.resolve("tcp.log") + "\" template=\"fields\") }",
                "ruleset(name=\"secure\") { action(type=\"omfile\" file=\"" + dir.resolve("tls.log") + "\" template=\"fields\") }",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + tcpPort + "\" ruleset=\"plain\")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + tlsPort + "\" ruleset=\"secure\"",
                "  streamDriver.name=\"ossl\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")",
                "");
        try {
            Files.createDirectories(dir);
            Path conf = Files.writeString(dir.resolve("rsyslog.conf"), config);
            Process process = new ProcessBuilder(rsyslogd(), "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
            RsyslogReceiver receiver = new RsyslogReceiver(dir, tcpPort, tlsPort, process);
            receiver.awaitListening();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rsyslogd() {
        for (String candidate : List.of("/usr/sbin/rsyslogd", "/sbin/rsyslogd")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("rsyslog is not installed: apt-get install -y rsyslog rsyslog-openssl");
    }

    private void awaitListening() throws IOException {
        Instant until = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rsyslogd ended: " + Files.readString(dir.resolve("rsyslogd.out")));
            }
            if (listening(tcpPort) && listening(tlsPort)) {
                return;
            }
            Pause.millis(100);
        }
        throw new IllegalStateException("rsyslogd is not listening: " + Files.readString(dir.resolve("rsyslogd.out")));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int tcpPort() {
        return tcpPort;
    }

    int tlsPort() {
        return tlsPort;
    }

    List<Line> tcpLines() {
        return lines("tcp.log");
    }

    List<Line> tlsLines() {
        return lines("tls.log");
    }

    private List<Line> lines(String file) {
        Path log = dir.resolve(file);
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8).stream().map(Line::parse).toList()
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until rsyslog wrote a line of the listener ({@code tls} or not) that matches. */
    Line await(boolean tls, Predicate<Line> condition, Duration timeout, String what) {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            for (Line line : tls ? tlsLines() : tcpLines()) {
                if (condition.test(line)) {
                    return line;
                }
            }
            Pause.millis(200);
        }
        throw new AssertionError("rsyslog (" + (tls ? "TLS" : "TCP") + ") wrote no " + what + " within "
                + timeout.toSeconds() + " s; it wrote " + (tls ? tlsLines() : tcpLines()));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
