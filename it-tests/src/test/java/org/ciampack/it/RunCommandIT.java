package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.PostgresServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, docker/run-local.sh, as a developer uses it: on free ports and in its own folder, so
 * it never disturbs a server the developer has running. Local only: it starts its own Keycloak.
 */
@Tag("local-distribution")
class RunCommandIT {

    private static final Duration FIRST_START_LIMIT = Duration.ofMinutes(3);
    /** What kc.sh prints when it builds the server again (a changed option or provider) before it starts. */
    private static final String REBUILDING = "Updating the configuration and installing your custom providers";

    private final Path root = Path.of(System.getProperty("ciam.it.project.root")).toAbsolutePath().normalize();
    private final Path output = Path.of(System.getProperty("ciam.it.output")).toAbsolutePath();

    @Test
    void startsTheDemoStopsOnCtrlCAndKeepsUsersAcrossRestarts() throws Exception {
        Path localDir = output.resolve("run-local");
        deleteRecursively(localDir);
        Map<String, String> env = freePorts(Map.of("CIAM_LOCAL_DIR", localDir.toString()));
        int httpPort = Integer.parseInt(env.get("CIAM_HTTP_PORT"));
        URI base = URI.create("http://localhost:" + httpPort);
        String email = "run-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";

        Run first = Run.start(root, env, output.resolve("run-local-first.log"));
        Duration firstStart = first.awaitDiscovery(base, FIRST_START_LIMIT);
        assertThat(first.output()).contains("Admin console", "/realms/acme/account/", "Mail catcher",
                "Database          H2 in " + localDir);
        assertThat(Http.get(URI.create("http://127.0.0.1:" + env.get("CIAM_MAIL_API_PORT") + "/api/service/readiness"))
                .statusCode()).as("the mail catcher runs beside Keycloak").isEqualTo(200);
        AdminApi admin = new AdminApi(base, "admin", "admin");
        admin.createUser("acme", email, "Correct-Horse-42", true);
        assertThat(first.output()).as("the README's legacy customers are announced")
                .contains("shopper2@old-shop.example / OldShop-2-Pass!  (Django PBKDF2)");
        aLegacyShopCustomerSignsInAndMovesIntoKeycloak(base, admin);

        assertThat(first.interrupt()).as("exit status after Ctrl-C").isZero();
        assertThat(first.output()).contains("Keycloak stopped");
        assertThat(isListening(httpPort)).as("Keycloak's port is free again").isFalse();
        assertThat(isListening(Integer.parseInt(env.get("CIAM_MAIL_API_PORT")))).as("mail catcher stopped").isFalse();

        Run second = Run.start(root, env, output.resolve("run-local-second.log"));
        Duration secondStart = second.awaitDiscovery(base, FIRST_START_LIMIT);
        assertThat(second.output()).contains("pack is up to date").doesNotContain("building the pack");
        assertThat(new AdminApi(base, "admin", "admin").findUserByEmail("acme", email))
                .as("the user registered before the restart").isNotNull();
        assertThat(new AdminApi(base, "admin", "admin").get("/realms/acme/components?name=old-shop"))
                .as("the legacy shop federated once, not again at the restart").hasSize(1);
        assertThat(second.interrupt()).isZero();

        String figures = String.format("run command (docker/run-local.sh), fresh folder: first start %d s, second start %d s%n",
                firstStart.toSeconds(), secondStart.toSeconds());
        Files.writeString(output.resolve("run-command-times.txt"), figures);
        System.out.print("[ciam-it] " + figures);
    }

    /**
     * The run command with Keycloak's database on PostgreSQL, as the benchmarks start it: options after the command
     * reach kc.sh (or, at the second start, the database is named in Keycloak's conf/keycloak.conf). The legacy shop
     * stays an H2 file, which a server built for PostgreSQL reads only with the H2 driver the command gives it, however
     * the database was named. Tagged production: it needs a PostgreSQL (Debian's, as the production suite's).
     */
    @Test
    @Tag("production")
    void onPostgresTheDemoKeepsItsLegacyShop() throws Exception {
        Path localDir = output.resolve("run-local-postgres");
        deleteRecursively(localDir);
        Map<String, String> env = freePorts(Map.of("CIAM_LOCAL_DIR", localDir.toString()));
        URI base = URI.create("http://localhost:" + env.get("CIAM_HTTP_PORT"));
        // the run command's Keycloak is the version the suite's own server is (ciam.it.keycloak.home's folder)
        Path keycloakHome = localDir.resolve(Path.of(System.getProperty("ciam.it.keycloak.home")).getFileName());
        try (PostgresServer postgres = PostgresServer.start()) {
            String[] options = {"--db=postgres", "--db-url=" + postgres.jdbcUrl(), "--db-username=" + postgres.user(),
                "--db-password=" + postgres.password()};
            Run first = Run.start(root, env, output.resolve("run-local-postgres.log"), options);
            try {
                first.awaitDiscovery(base, FIRST_START_LIMIT);
                assertThat(first.output()).contains("the legacy shop is in acme's user federation as 'old-shop'",
                        "Database          postgres (Keycloak's db option)").doesNotContain("H2 in");
                assertThat(postgres.query("select count(*) from realm where name = 'acme'"))
                        .as("the demo realm is in PostgreSQL").containsExactly("1");
                aLegacyShopCustomerSignsInAndMovesIntoKeycloak(base, new AdminApi(base, "admin", "admin"));
            } finally {
                assertThat(first.interrupt()).isZero();
            }

            // the second start names the database in Keycloak's configuration file instead, as an operator may
            Path conf = keycloakHome.resolve("conf/keycloak.conf");
            String shipped = Files.readString(conf);
            Files.writeString(conf, shipped + "\ndb=postgres\n");
            try {
                Run second = Run.start(root, env, output.resolve("run-local-postgres-second.log"),
                        Arrays.copyOfRange(options, 1, options.length));
                try {
                    second.awaitDiscovery(base, FIRST_START_LIMIT);
                    assertThat(second.output()).as("the driver given once: the server is not rebuilt at every start")
                            .doesNotContain(REBUILDING).contains("Database          postgres (Keycloak's db option)");
                } finally {
                    assertThat(second.interrupt()).isZero();
                }
            } finally {
                Files.writeString(conf, shipped);
            }
        }
        Run onH2 = Run.start(root, env, output.resolve("run-local-postgres-then-h2.log"));
        try {
            onH2.awaitDiscovery(base, FIRST_START_LIMIT);
            assertThat(keycloakHome.resolve("providers/h2-driver-for-the-demo-legacy-shop.jar"))
                    .as("back on H2, whose driver the server has: no second copy").doesNotExist();
            assertThat(onH2.output()).contains("Database          H2 in ");
        } finally {
            assertThat(onH2.interrupt()).isZero();
        }
    }

    /** The demo's legacy shop as the README tells it: sign in as shopper2 and see the account migrate. */
    private static void aLegacyShopCustomerSignsInAndMovesIntoKeycloak(URI base, AdminApi admin) {
        String shopper = "shopper2@old-shop.example";
        OidcCodeFlow app = new OidcCodeFlow(URI.create(base + "/realms/acme"), "acme-web",
                URI.create("http://localhost:5173/callback")).header("X-Forwarded-For", "198.51.100.62");

        HttpResponse<String> landed = app.signInAcceptingConsents(shopper, "OldShop-2-Pass!");

        assertThat(landed.headers().firstValue("Location").orElse("")).as(landed.body())
                .startsWith("http://localhost:5173/callback");
        JsonNode user = admin.findUserByEmail("acme", shopper);
        assertThat(user.has("federationLink")).as("no longer linked to the legacy shop").isFalse();
        JsonNode credentials = admin.get("/realms/acme/users/" + user.get("id").asText() + "/credentials");
        assertThat(credentials.get(0).get("credentialData").asText()).contains("\"algorithm\":\"argon2\"");
        assertThat(user.get("firstName").asText()).as("the profile the shop kept").isEqualTo("Clara");
    }

    @Test
    void aPortInUseEndsWithOneClearSentence() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            Map<String, String> env = new HashMap<>(freePorts(Map.of("CIAM_LOCAL_DIR",
                    output.resolve("run-local-busy").toString())));
            env.put("CIAM_HTTP_PORT", String.valueOf(port));
            Run run = Run.start(root, env, output.resolve("run-local-busy.log"));

            assertThat(run.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(run.lastLine()).isEqualTo("run-local: port " + port + " (Keycloak HTTP) is already in use: stop the "
                    + "program using it (another Keycloak?) or choose a free port with CIAM_HTTP_PORT=<port>.");
            assertThat(run.output()).doesNotContain("Exception");
        }
    }

    @Test
    void anOldJavaEndsWithOneClearSentence() throws Exception {
        Path oldJdk = output.resolve("fake-jdk-11");
        Files.createDirectories(oldJdk.resolve("bin"));
        Path java = oldJdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();

        Run run = Run.start(root, freePorts(Map.of("JAVA_HOME", oldJdk.toString(),
                "CIAM_LOCAL_DIR", output.resolve("run-local-old-java").toString())), output.resolve("run-local-old-java.log"));

        assertThat(run.awaitExit(Duration.ofSeconds(60))).isNotZero();
        assertThat(run.lastLine()).startsWith("run-local: Java 11 found at " + java)
                .endsWith("needs Java 17 or newer: install one and set JAVA_HOME to it.");
        assertThat(run.output()).doesNotContain("Exception");
    }

    /** One run of the script in its own process group, as a terminal runs a foreground command. */
    private record Run(Process process, Path log, Instant started) {

        /** {@code options}: passed on to kc.sh, as a developer's would be. */
        static Run start(Path root, Map<String, String> env, Path log, String... options) throws IOException {
            // setsid: its own process group, so "Ctrl-C" (SIGINT to the group) reaches exactly this run.
            // perl: undo an inherited "ignore SIGINT" (CI shells may start us that way) before exec'ing the script.
            List<String> command = new ArrayList<>(List.of("setsid", "perl", "-e",
                    "$SIG{INT} = 'DEFAULT'; $SIG{TERM} = 'DEFAULT'; exec @ARGV or die $!",
                    root.resolve("docker/run-local.sh").toString()));
            command.addAll(List.of(options));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new Run(builder.start(), log, Instant.now());
        }

        Duration awaitDiscovery(URI base, Duration limit) throws IOException, InterruptedException {
            URI discovery = URI.create(base + "/realms/acme/.well-known/openid-configuration");
            while (Duration.between(started, Instant.now()).compareTo(limit) < 0) {
                if (!process.isAlive()) {
                    throw new AssertionError("the run command ended (" + process.exitValue() + "):\n" + output());
                }
                try {
                    if (Http.get(discovery).statusCode() == 200) {
                        Duration took = Duration.between(started, Instant.now());
                        awaitOutput("is ready");
                        return took;
                    }
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            interrupt();
            throw new AssertionError("no demo realm within " + limit.toSeconds() + " s:\n" + output());
        }

        private void awaitOutput(String text) throws InterruptedException {
            // the announcement follows the legacy shop's federation through the admin CLI (a few JVM starts)
            for (int i = 0; i < 240 && !output().contains(text); i++) {
                Thread.sleep(250);
            }
        }

        /** Ctrl-C: SIGINT to the whole process group; returns the exit status. */
        int interrupt() throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + processGroup()).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            return awaitExit(Duration.ofSeconds(60));
        }

        int awaitExit(Duration limit) throws InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("the run command did not end within " + limit.toSeconds() + " s:\n" + output());
            }
            return process.exitValue();
        }

        private long processGroup() throws IOException, InterruptedException {
            Process ps = new ProcessBuilder("ps", "-o", "pgid=", "-p", String.valueOf(process.pid())).start();
            String group = new String(ps.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            ps.waitFor();
            return Long.parseLong(group);
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String lastLine() {
            List<String> lines = output().strip().lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Every port the run command opens, free-picked, besides the given settings: the suite must pass while a
     * developer's demo holds the default ports (8080, 9000, 3025, 8025).
     */
    private static Map<String, String> freePorts(Map<String, String> settings) throws IOException {
        Map<String, String> env = new HashMap<>(settings);
        for (String port : List.of("CIAM_HTTP_PORT", "CIAM_MANAGEMENT_PORT", "CIAM_SMTP_PORT", "CIAM_MAIL_API_PORT")) {
            env.put(port, String.valueOf(freePort()));
        }
        return Map.copyOf(env);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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
