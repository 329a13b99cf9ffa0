package org.ciampack.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with the openssl command: a test CA that the suite's Keycloak trusts
 * ({@code --truststore-paths}), a server certificate for localhost and 127.0.0.1 issued by it (for rsyslog's TLS
 * listener), and a self-signed certificate nobody trusts (for a receiver whose TLS must fail), as PEM and PKCS#12.
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey, Path untrustedKeyStore) {

    public static final String KEYSTORE_PASSWORD = "changeit";

    public static synchronized TestCertificates ensure() {
        Path dir = Settings.output().resolve("tls");
        TestCertificates certificates = new TestCertificates(dir.resolve("ca.pem"), dir.resolve("server.pem"),
                dir.resolve("server-key.pem"), dir.resolve("untrusted.p12"));
        if (Files.exists(certificates.untrustedKeyStore())) {
            return certificates;
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=CIAM pack test CA",
                    "-keyout", "ca-key.pem", "-out", "ca.pem");
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                    "-keyout", "server-key.pem", "-out", "server.csr");
            openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                    "-CAcreateserial", "-days", "30", "-extfile", "san.ext", "-out", "server.pem");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", "untrusted-key.pem", "-out", "untrusted.pem");
            openssl(dir, "pkcs12", "-export", "-in", "untrusted.pem", "-inkey", "untrusted-key.pem",
                    "-passout", "pass:" + KEYSTORE_PASSWORD, "-out", "untrusted.p12");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return certificates;
    }

    private static void openssl(Path dir, String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
