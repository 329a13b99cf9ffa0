package org.ciampack.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A PostgreSQL server of its own for the production tests: Debian's PostgreSQL binaries (package {@code postgresql},
 * installed by .ci/run), a fresh data folder under /tmp and a free port, so it never meets the machine's own
 * cluster or another run. As root the server runs as the {@code postgres} user, as PostgreSQL demands. Trust
 * authentication on 127.0.0.1 only.
 */
public final class PostgresServer implements SqlServer {

    private static final String USER = "postgres";

    private final Path bin;
    private final Path data;
    private final int port;

    private PostgresServer(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    /** Starts a new cluster with the database {@code keycloak}. */
    public static PostgresServer start() {
        return start(List.of());
    }

    /** As {@link #start()}, with more server settings ({@code name=value}, e.g. a preloaded library). */
    public static PostgresServer start(List<String> settings) {
        Path bin = binaries();
        try {
            Path data = Files.createTempDirectory("ciam-pg-");
            PostgresServer server = new PostgresServer(bin, data, LocalProcesses.freePort());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-postgres"));
            if (LocalProcesses.isRoot()) {
                server.asServerUser(List.of("chown", "-R", USER, data.toString()), true);
            }
            server.run(List.of(bin.resolve("initdb").toString(), "-D", data.resolve("cluster").toString(), "-U", USER,
                    "-A", "trust", "-E", "UTF8", "--no-sync"));
            server.settings = settings;
            server.resume();
            server.psql("postgres", "create database keycloak");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> settings = List.of();

    /** Stops the server (fast shutdown: open connections are cut), keeping its data for {@link #resume()}. */
    public void pause() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-m", "fast", "-w",
                "stop"));
    }

    /** Starts the server (again) on its port, with its data. */
    public void resume() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-w",
                "-l", data.resolve("postgres.log").toString(), "-o",
                "-p " + port + " -h 127.0.0.1 -k " + data + " -c fsync=off -c max_connections=200"
                        + settings.stream().map(setting -> " -c " + setting).collect(Collectors.joining()),
                "start"));
    }

    @Override
    public String vendor() {
        return "postgres";
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/keycloak";
    }

    public String user() {
        return USER;
    }

    /** None: trust authentication on 127.0.0.1. */
    @Override
    public String password() {
        return "";
    }

    /** The server's log file. */
    public Path log() {
        return data.resolve("postgres.log");
    }

    /**
     * Runs {@code work} with every statement of every connection logged, and returns what was logged meanwhile, by
     * transaction: each statement's text under its virtual transaction id (PostgreSQL's {@code %v}), in order.
     * A configuration reload turns the logging on and off, so Keycloak's pooled connections are logged too.
     */
    public Map<String, List<String>> statementsByTransaction(Runnable work) {
        psql("postgres", "alter system set log_line_prefix = '[%v] '");
        psql("postgres", "alter system set log_statement = 'all'");
        long from;
        try {
            psql("postgres", "select pg_reload_conf()");
            Thread.sleep(500); // the server passes the reload on to each connection's process
            from = Files.size(log());
            work.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            psql("postgres", "alter system reset log_statement");
            psql("postgres", "alter system reset log_line_prefix");
            psql("postgres", "select pg_reload_conf()");
        }
        Map<String, List<String>> statements = new LinkedHashMap<>();
        Matcher line = Pattern.compile("^\\[(\\d+/\\d+)\\] LOG:  (?:statement|execute [^:]*): (.*)$", Pattern.MULTILINE)
                .matcher(readFrom(log(), from));
        while (line.find()) {
            statements.computeIfAbsent(line.group(1), id -> new ArrayList<>()).add(line.group(2));
        }
        return statements;
    }

    private static String readFrom(Path file, long offset) {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs SQL in the {@code keycloak} database; returns the rows, one line each, columns joined by '|'. */
    public List<String> query(String sql) {
        return psql("keycloak", sql);
    }

    /**
     * Locks the rows {@code selectForUpdate} returns, in an open transaction of a psql session of its own, until the
     * returned handle is closed (the transaction then rolls back): Keycloak's transactions that want those rows wait
     * for it meanwhile. Returns once the rows are locked.
     */
    public AutoCloseable lockRows(String selectForUpdate) {
        List<String> command = new ArrayList<>();
        if (LocalProcesses.isRoot()) {
            command.addAll(List.of("runuser", "-u", USER, "--"));
        }
        command.addAll(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                USER, "-d", "keycloak", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-q"));
        try {
            Process psql = new ProcessBuilder(command).redirectErrorStream(true).start();
            Writer in = new OutputStreamWriter(psql.getOutputStream(), StandardCharsets.UTF_8);
            in.write("begin;\n" + selectForUpdate + ";\nselect 'rows-locked';\n");
            in.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(psql.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); !"rows-locked".equals(line); line = out.readLine()) {
                if (line == null) {
                    throw new IllegalStateException("psql ended before the rows were locked: " + seen);
                }
                seen.append(line).append('\n');
            }
            return () -> {
                in.write("rollback;\n\\q\n");
                in.flush();
                if (!psql.waitFor(30, TimeUnit.SECONDS)) {
                    psql.destroyForcibly();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many of the {@code keycloak} database's sessions are waiting for a lock now. */
    public int waitingForLocks() {
        return Integer.parseInt(query("select count(*) from pg_stat_activity where datname = 'keycloak' "
                + "and wait_event_type = 'Lock'").get(0));
    }

    /** Writes the {@code keycloak} database as gzipped SQL (no owners, no privileges), for a later restore. */
    public void dump(Path gzipFile) {
        String sql = run(List.of(bin.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", USER, "--no-owner", "--no-privileges", "keycloak"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipFile))) {
            out.write(sql.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a {@link #dump(Path)} into the (empty) {@code keycloak} database; stops at the first error. */
    public void restore(Path gzipFile) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzipFile))) {
            Path sql = data.resolve("restore.sql");
            Files.copy(in, sql);
            load(sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a file of SQL in the {@code keycloak} database; stops at the first error. */
    public void load(Path sqlFile) {
        Path sql = data.resolve("load-" + System.nanoTime() + ".sql");
        try {
            Files.copy(sqlFile, sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (LocalProcesses.isRoot()) {
            asServerUser(List.of("chown", USER, sql.toString()), true);
        }
        run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER,
                "-d", "keycloak", "-v", "ON_ERROR_STOP=1", "-q", "-f", sql.toString()));
    }

    private List<String> psql(String database, String sql) {
        String out = run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                USER, "-d", database, "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", sql));
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    private String run(List<String> command) {
        return asServerUser(command, false);
    }

    /** Runs a command as the server's user (root hands it to postgres); fails with its output when it fails. */
    private String asServerUser(List<String> command, boolean asRoot) {
        List<String> full = new ArrayList<>();
        if (!asRoot && LocalProcesses.isRoot()) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        return LocalProcesses.output(full);
    }

    @Override
    public synchronized void close() {
        if (!Files.exists(data)) {
            return;
        }
        try {
            if (Files.exists(data.resolve("cluster/postmaster.pid"))) {
                pause();
            }
            LocalProcesses.deleteTree(data);
        } catch (IOException | RuntimeException e) {
            System.err.println("[ciam-it] PostgreSQL in " + data + " did not stop cleanly: " + e.getMessage());
        }
    }

    /** Debian's versioned folder, e.g. /usr/lib/postgresql/15/bin. */
    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under " + root
                            + ": install Debian's package 'postgresql' (apt-get install -y postgresql)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
