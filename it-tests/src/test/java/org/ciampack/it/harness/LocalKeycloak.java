package org.ciampack.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ciampack.risk.geo.DemoGeoIpDatabases;

/**
 * Keycloak's distribution with the pack unzipped over it (prepared by Maven under target/server), started as a
 * real process on free ports with a fresh H2 database and the demo realm imported, plus the GreenMail mail catcher
 * its realm sends to. Both logs stay under target/server-logs.
 */
public final class LocalKeycloak implements ServerUnderTest {

    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "admin";
    /** On the server's list file of bad addresses (not on the demo realm's own deny list). */
    public static final String BAD_ADDRESS = "203.0.113.99";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    /**
     * The pack's sweeps for users Keycloak removed in bulk, in the suite's servers (six hours by default): long enough
     * for the suite's registrations, short enough for a test to wait for a few.
     */
    public static final int ORPHAN_SWEEP_SECONDS = 10;
    /** Due events a delivery round reads in the suite's servers (1,000 by default), so a few hundred events fill one. */
    public static final int ROUND_EVENTS = 200;

    /** Distributions built by {@link #built}, by prepared distribution and vendor. */
    private static final Map<String, Path> BUILT = new HashMap<>();

    private final URI baseUrl;
    private final URI managementUrl;
    private final Path log;
    private final Mailbox mailbox;
    private final AdminApi admin;
    private final List<Process> processes = new ArrayList<>();
    private List<String> command;
    private Path home;

    private LocalKeycloak(URI baseUrl, URI managementUrl, Path log, Mailbox mailbox) {
        this.baseUrl = baseUrl;
        this.managementUrl = managementUrl;
        this.log = log;
        this.mailbox = mailbox;
        this.admin = new AdminApi(baseUrl, ADMIN_USER, ADMIN_PASSWORD);
    }

    /**
     * The files vault every server of the suite reads ({@code --vault=file}): a secret {@code key} of realm
     * {@code acme} is the file {@code acme_key}. Tests write their routes' secrets here.
     */
    public static Path vault() {
        Path vault = Settings.output().resolve("vault");
        try {
            Files.createDirectories(vault);
            if (!Files.exists(vault.resolve("acme_export-webhook-secret"))) {
                // the demo realm's routes read these two
                Files.writeString(vault.resolve("acme_export-webhook-secret"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
                Files.writeString(vault.resolve("acme_export-hash-key"), "demo-hash-key-for-tests-only");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return vault;
    }

    /** The suite's shared server: the prepared distribution, the demo GeoIP databases and the bad-address file. */
    static LocalKeycloak start() {
        return start(Settings.existingPath("ciam.it.keycloak.home"), "keycloak", riskOptions());
    }

    /** The demo GeoIP databases (Berlin, Sydney, New York, Paris test networks) and the bad-address file. */
    public static List<String> riskOptions() {
        Path geoIp = Settings.output().resolve("geoip");
        try {
            DemoGeoIpDatabases.write(geoIp);
            Path badAddresses = Files.writeString(geoIp.resolve("bad-addresses.txt"),
                    "# what an operator's cron job would fetch, e.g. Tor exit nodes\n" + BAD_ADDRESS + "\n");
            return List.of(
                    "--spi-ciam-risk-signal--ip-reputation--deny-list-file=" + badAddresses,
                    "--spi-ciam-geoip--maxmind--city-database=" + geoIp.resolve(DemoGeoIpDatabases.CITY),
                    "--spi-ciam-geoip--maxmind--asn-database=" + geoIp.resolve(DemoGeoIpDatabases.ASN),
                    "--spi-ciam-geoip--maxmind--anonymous-ip-database=" + geoIp.resolve(DemoGeoIpDatabases.ANONYMOUS_IP));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A second server beside the shared one, for tests of other server options (e.g. no GeoIP database): a copy of
     * the prepared distribution under target/, its own database, ports and mail catcher. The caller closes it.
     */
    public static LocalKeycloak startSeparate(String name, List<String> serverOptions) {
        return startSeparate(name, serverOptions, Map.of());
    }

    /** As {@link #startSeparate(String, List)}, with more environment for kc.sh, e.g. {@code JAVA_OPTS_KC_HEAP}. */
    public static LocalKeycloak startSeparate(String name, List<String> serverOptions, Map<String, String> environment) {
        Path prepared = Settings.existingPath("ciam.it.keycloak.home");
        Path home = Settings.output().resolve("servers").resolve(name);
        try {
            deleteRecursively(home);
            copyRecursively(prepared, home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(home, name, serverOptions, environment);
    }

    /**
     * A node of the production build: under target/production/, a copy of the prepared distribution built for the
     * given database ({@code kc.sh build --db=<vendor>} with the pack's build-time options: vault, metrics, health;
     * built once per run) and started with {@code start --optimized} against it, as an operator runs it. The caller
     * closes it.
     */
    public static LocalKeycloak startOptimized(String name, SqlServer database, List<String> serverOptions) {
        return startOptimized(name, Settings.existingPath("ciam.it.keycloak.home"), database, serverOptions);
    }

    /** As {@link #startOptimized(String, SqlServer, List)}, from another prepared distribution. */
    public static LocalKeycloak startOptimized(String name, Path prepared, SqlServer database,
            List<String> serverOptions) {
        Path home = Settings.output().resolve("production").resolve(name);
        try {
            Path built = built(prepared, database.vendor());
            deleteRecursively(home);
            copyRecursively(built, home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> mode = List.of("start", "--optimized", "--http-enabled=true", "--hostname-strict=false",
                "--db-url=" + database.jdbcUrl(), "--db-username=" + database.user(),
                "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + freePort());
        // from the environment, not the command line; a server that trusts local connections takes any
        String password = database.password().isEmpty() ? "unused" : database.password();
        return start(home, name, mode, serverOptions, Map.of("KC_DB_PASSWORD", password));
    }

    /**
     * The prepared distribution built for a database vendor, once per run and kept under target/production/: every
     * node is a copy of it, as an operator's nodes all run one image (a build takes half a minute here).
     */
    private static synchronized Path built(Path prepared, String vendor) throws IOException {
        String key = prepared.toAbsolutePath().normalize() + " for " + vendor;
        Path home = BUILT.get(key);
        if (home == null) {
            String name = "built-" + vendor + "-" + (BUILT.size() + 1);
            home = Settings.output().resolve("production").resolve(name);
            deleteRecursively(home);
            copyRecursively(prepared, home);
            // built for the database, Keycloak has its own driver: those the H2 suite adds for the legacy store go
            try (Stream<Path> drivers = Files.list(home.resolve("providers"))) {
                for (Path driver : drivers.filter(jar -> jar.getFileName().toString().startsWith("postgresql-")
                        || jar.getFileName().toString().startsWith("mariadb-java-client-")).toList()) {
                    Files.delete(driver);
                }
            }
            build(home, name, vendor);
            BUILT.put(key, home);
        }
        return home;
    }

    /** The options the production build fixes; a start that names them otherwise is refused. */
    private static void build(Path home, String name, String vendor) throws IOException {
        Path log = Settings.output().resolve("server-logs").resolve(name + "-build.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder build = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "build",
                "--db=" + vendor, "--vault=file", "--metrics-enabled=true", "--health-enabled=true")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        build.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Process process = build.start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("kc.sh build failed for " + name + ":\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static LocalKeycloak start(Path home, String name, List<String> serverOptions) {
        return start(home, name, serverOptions, Map.of());
    }

    private static LocalKeycloak start(Path home, String name, List<String> serverOptions,
            Map<String, String> environment) {
        // dev mode: vault and metrics are options of the start itself
        return start(home, name, List.of("start-dev", "--vault=file", "--metrics-enabled=true"), serverOptions,
                environment);
    }

    private static LocalKeycloak start(Path home, String name, List<String> mode, List<String> serverOptions,
            Map<String, String> environment) {
        Path greenmail = Settings.existingPath("ciam.it.greenmail.jar");
        Path logs = Settings.output().resolve("server-logs");
        int httpPort = freePort();
        int managementPort = freePort();
        int smtpPort = freePort();
        int mailApiPort = freePort();

        LocalKeycloak server = new LocalKeycloak(URI.create("http://localhost:" + httpPort),
                URI.create("http://localhost:" + managementPort), logs.resolve(name + ".log"),
                new Mailbox(URI.create("http://127.0.0.1:" + mailApiPort)));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-" + name));
        try {
            Files.createDirectories(logs);
            deleteRecursively(home.resolve("data/h2")); // every run starts from the demo realm as committed
            server.processes.add(new ProcessBuilder(javaCommand(),
                    "-Dgreenmail.smtp.hostname=127.0.0.1", "-Dgreenmail.smtp.port=" + smtpPort,
                    "-Dgreenmail.api.hostname=127.0.0.1", "-Dgreenmail.api.port=" + mailApiPort,
                    "-Dgreenmail.auth.disabled", "-jar", greenmail.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(name + "-greenmail.log").toFile())
                    .start());

            List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString()));
            command.addAll(mode);
            command.addAll(List.of("--http-port=" + httpPort, "--http-management-port=" + managementPort,
                    "--import-realm",
                    // tests play clients from elsewhere with X-Forwarded-For, as the demo allows
                    "--proxy-headers=xforwarded", "--proxy-trusted-addresses=127.0.0.1/32,::1/128",
                    // export routes' secrets, and the test CA that the syslog receiver's certificate is issued by
                    "--vault-dir=" + vault(),
                    // the export ITs' receivers listen on 127.0.0.1; every other internal address stays refused
                    "--spi-events-listener--ciam-export--allowed-destinations=127.0.0.1/32",
                    // the legacy store ITs' databases too
                    "--spi-storage--ciam-legacy-jdbc--allowed-destinations=127.0.0.1/32",
                    // low enough that a test can pass it with a few hundred admin events; the suite's replays are small
                    "--spi-events-listener--ciam-export--max-replay-events=200",
                    // likewise for a delivery round: a backlog of a few hundred events takes several rounds
                    "--spi-events-listener--ciam-export--round-events=" + ROUND_EVENTS,
                    // sweeps for users removed in bulk often enough for a test to wait for two
                    "--spi-events-listener--ciam-risk-history--orphan-sweep-seconds=" + ORPHAN_SWEEP_SECONDS,
                    "--spi-required-action--ciam-consent--orphan-sweep-seconds=" + ORPHAN_SWEEP_SECONDS,
                    "--spi-authenticator--ciam-progressive-profiling--orphan-sweep-seconds=" + ORPHAN_SWEEP_SECONDS,
                    "--truststore-paths=" + TestCertificates.ensure().caCertificate()));
            command.addAll(serverOptions);
            server.command = command;
            server.home = home;
            server.environment = Map.copyOf(environment);
            Files.deleteIfExists(server.log);
            server.smtpPort = smtpPort;
            server.launch(name);
            return server;
        } catch (IOException | RuntimeException e) {
            String tail = server.logTail(60);
            server.close();
            throw new IllegalStateException("Keycloak did not start: " + e.getMessage() + "\n" + tail, e);
        }
    }

    private int smtpPort;
    private Map<String, String> environment = Map.of();

    private void launch(String name) throws IOException {
        ProcessBuilder keycloak = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        keycloak.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        keycloak.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        keycloak.environment().put("CIAM_SMTP_HOST", "127.0.0.1");
        keycloak.environment().put("CIAM_SMTP_PORT", String.valueOf(smtpPort));
        keycloak.environment().put("CIAM_SSL_REQUIRED", "none"); // plain HTTP, clients "from elsewhere"
        keycloak.environment().put("JAVA_HOME", System.getProperty("java.home"));
        keycloak.environment().putAll(environment);
        Instant started = Instant.now();
        processes.add(1, keycloak.start());
        awaitReady(started);
        System.out.printf("[ciam-it] %s up at %s after %d s (log: %s)%n", name, baseUrl,
                Duration.between(started, Instant.now()).toSeconds(), log);
    }

    /** Kills the Keycloak JVM with SIGKILL, as a crash or an OOM killer would: no shutdown hook runs. */
    public synchronized void kill() {
        Process kcSh = processes.remove(1);
        kcSh.descendants().forEach(ProcessHandle::destroyForcibly);
        kcSh.destroyForcibly();
        try {
            kcSh.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops Keycloak gracefully (SIGTERM), as an operator does; the mail catcher keeps running. */
    public synchronized void stop() {
        Process kcSh = processes.remove(1);
        kcSh.descendants().forEach(ProcessHandle::destroy);
        kcSh.destroy();
        try {
            if (!kcSh.waitFor(60, TimeUnit.SECONDS)) {
                kcSh.descendants().forEach(ProcessHandle::destroyForcibly);
                kcSh.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts Keycloak again after {@link #kill()} or {@link #stop()}, on the same ports and the same database. */
    public synchronized void restart(String name) {
        try {
            launch(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Instant started) {
        Process keycloak = processes.get(1);
        URI discovery = URI.create(realmUrl("acme") + "/.well-known/openid-configuration");
        while (Duration.between(started, Instant.now()).compareTo(START_TIMEOUT) < 0) {
            if (!keycloak.isAlive()) {
                throw new IllegalStateException("the Keycloak process ended with exit code " + keycloak.exitValue());
            }
            if (answers(discovery) && mailbox.isReady()) {
                return;
            }
            Pause.millis(500);
        }
        throw new IllegalStateException("no answer from " + discovery + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static boolean answers(URI uri) {
        try {
            HttpResponse<String> response = Http.get(uri);
            return response.statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public URI baseUrl() {
        return baseUrl;
    }

    /** The management interface: health and metrics. */
    public URI managementUrl() {
        return managementUrl;
    }

    @Override
    public long openFiles() {
        Process kcSh = processes.get(1); // kc.sh execs the JVM, or starts it as a child
        ProcessHandle jvm = Stream.concat(Stream.of(kcSh.toHandle()), kcSh.descendants())
                .filter(p -> p.info().command().orElse("").endsWith("/java"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no Keycloak JVM from kc.sh"));
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", String.valueOf(jvm.pid()), "fd"))) {
            return descriptors.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String metrics() {
        HttpResponse<String> response = Http.get(URI.create(managementUrl + "/metrics"));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("metrics endpoint answered " + response.statusCode());
        }
        return response.body();
    }

    @Override
    public AdminApi admin() {
        return admin;
    }

    @Override
    public Mailbox mailbox() {
        return mailbox;
    }

    @Override
    public String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no server log at " + log + ")";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(server log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Waits until this node's log shows a cluster view of {@code members} nodes (Infinispan's ISPN000094). */
    public void awaitClusterView(int members, Duration timeout) {
        Pattern view = Pattern.compile(
                "ISPN000094: Received new cluster view .*\\(" + members + "\\)");
        Instant until = Instant.now().plus(timeout);
        while (!view.matcher(logTail(100_000)).find()) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("no cluster view of " + members + " within " + timeout.toSeconds()
                        + " s\n" + logTail(40));
            }
            Pause.millis(500);
        }
    }

    /** Stops Keycloak gracefully (SIGTERM to kc.sh and the JVM it started), then the mail catcher. */
    @Override
    public synchronized void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

}
