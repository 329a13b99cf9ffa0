package org.ciampack.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB server of the test's own: Debian's binaries (package {@code mariadb-server}, installed by .ci/run), a
 * fresh data folder under /tmp, a free port on 127.0.0.1, never the machine's own server. The test database
 * {@code shop} is read by the user {@code shop}, who has a password (so stores read it from the vault) and may only
 * select; or, for Keycloak's own database ({@link #startForKeycloak()}), {@code keycloak} with every right on it.
 * The harness itself talks to the server as root over its socket.
 */
public final class MariaDbServer implements SqlServer {

    /** Debian's account for the server; mariadbd refuses to run as root. */
    private static final String SERVER_ACCOUNT = "mysql";

    private final Path data;
    private final int port;
    private final String database;
    private final String user;
    private final String password = "Maria-" + UUID.randomUUID();
    private Process server;

    private MariaDbServer(Path data, int port, String database) {
        this.data = data;
        this.port = port;
        this.database = database;
        this.user = database;
    }

    /** The legacy shop's server: database {@code shop}, its user may only select. */
    public static MariaDbServer start() {
        MariaDbServer server = start("shop");
        server.root("grant select on shop.* to 'shop'@'127.0.0.1'");
        return server;
    }

    /** Keycloak's own database: {@code keycloak}, its user may do anything in it. */
    public static MariaDbServer startForKeycloak() {
        MariaDbServer server = start("keycloak");
        server.root("grant all on keycloak.* to 'keycloak'@'127.0.0.1'");
        return server;
    }

    private static MariaDbServer start(String database) {
        try {
            Path data = Files.createTempDirectory("ciam-maria-");
            MariaDbServer server = new MariaDbServer(data, LocalProcesses.freePort(), database);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-mariadb"));
            if (LocalProcesses.isRoot()) {
                LocalProcesses.output(List.of("chown", "-R", SERVER_ACCOUNT, data.toString()));
            }
            List<String> install = new ArrayList<>(List.of(binary("mariadb-install-db"), "--no-defaults",
                    "--datadir=" + data.resolve("db"), "--auth-root-authentication-method=normal", "--skip-test-db"));
            if (LocalProcesses.isRoot()) {
                install.add("--user=" + SERVER_ACCOUNT);
            }
            LocalProcesses.output(install);
            server.resume();
            server.root("create database " + database + " character set utf8mb4; create user '" + database
                    + "'@'127.0.0.1' identified by '" + server.password + "'");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String vendor() {
        return "mariadb";
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public List<String> query(String sql) {
        String out = LocalProcesses.output(client(List.of("-N", "-B", "-e", sql, database)));
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    @Override
    public void load(Path sqlFile) {
        LocalProcesses.output(client(List.of(database)), sqlFile.toFile());
    }

    @Override
    public synchronized void pause() {
        if (server == null) {
            return;
        }
        LocalProcesses.output(client(List.of("-e", "shutdown")));
        try {
            if (!server.waitFor(1, TimeUnit.MINUTES)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    @Override
    public synchronized void resume() {
        List<String> command = new ArrayList<>(List.of(binary("mariadbd"), "--no-defaults",
                "--datadir=" + data.resolve("db"), "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + socket(), "--pid-file=" + data.resolve("pid"), "--skip-name-resolve",
                "--innodb-flush-log-at-trx-commit=0", "--log-error=" + data.resolve("error.log")));
        if (LocalProcesses.isRoot()) {
            command.add("--user=" + SERVER_ACCOUNT);
        }
        try {
            server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(data.resolve("out.log").toFile()).start();
            for (int i = 0; i < 120; i++) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("mariadbd ended: " + Files.readString(data.resolve("error.log")));
                }
                try {
                    LocalProcesses.output(client(List.of("-e", "select 1")));
                    return;
                } catch (IllegalStateException notYet) {
                    Pause.millis(250);
                }
            }
            throw new IllegalStateException("mariadbd did not answer within 30 s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void root(String sql) {
        LocalProcesses.output(client(List.of("-e", sql)));
    }

    private List<String> client(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(binary("mariadb"), "--no-defaults", "--socket=" + socket(),
                "-uroot"));
        command.addAll(arguments);
        return command;
    }

    private Path socket() {
        return data.resolve("sock");
    }

    @Override
    public synchronized void close() {
        if (!Files.exists(data)) {
            return;
        }
        try {
            pause();
            LocalProcesses.deleteTree(data);
        } catch (IOException | RuntimeException e) {
            System.err.println("[ciam-it] MariaDB in " + data + " did not stop cleanly: " + e.getMessage());
        }
    }

    /** Debian puts the server in /usr/sbin, which a test's PATH may lack. */
    private static String binary(String program) {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                        Stream.of("/usr/sbin", "/usr/bin"))
                .map(dir -> Path.of(dir.isEmpty() ? "." : dir, program)).filter(Files::isExecutable)
                .map(Path::toString).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + program + ": install Debian's package "
                        + "'mariadb-server' (apt-get install -y mariadb-server)"));
    }

}
