package org.ciampack.it.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ciampack.it.harness.AdminApi;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.MariaDbServer;
import org.ciampack.it.harness.PostgresServer;
import org.ciampack.it.harness.ServerUnderTest;
import org.ciampack.it.harness.Settings;
import org.ciampack.it.harness.SqlServer;

/**
 * A legacy shop's customer database on a real PostgreSQL of its own: {@code customers} with {@code count} rows
 * written by {@code src/test/node/legacy-customers.cjs}, whose hashes other implementations than the pack's made.
 * Customer n is {@code legacy-<n>} with the password {@code Legacy-<n>-Pass!} in format {@code FORMATS[n % 12]};
 * customers 1 to 12 have production costs (bcrypt 10, Argon2id 64 MiB, scrypt 2^15, PBKDF2 260,000).
 */
public final class LegacyShop implements AutoCloseable {

    public static final List<String> FORMATS = List.of("bcrypt", "argon2id", "scrypt", "pbkdf2_sha256", "pbkdf2_sha1",
            "pbkdf2_sha512", "ssha", "ssha256", "ssha512", "md5", "sha1", "sha256");
    static final String VAULT_KEY = "legacy-shop-db";

    private final SqlServer database;

    private LegacyShop(SqlServer database) {
        this.database = database;
    }

    /** The shop on PostgreSQL. */
    public static LegacyShop start(int count) {
        return start(PostgresServer.start(), "postgresql", count);
    }

    /** The shop on MariaDB, read by a user with a password (from the vault). */
    public static LegacyShop startOnMariaDb(int count) {
        return start(MariaDbServer.start(), "mariadb", count);
    }

    private static LegacyShop start(SqlServer database, String dialect, int count) {
        try {
            Path sql = Files.createTempFile("legacy-customers-", ".sql");
            Path output = Files.createTempFile("legacy-customers-", ".log");
            ProcessBuilder command = new ProcessBuilder("node", Settings.existingPath("ciam.it.node.scripts")
                    .resolve("legacy-customers.cjs").toString(), String.valueOf(count), sql.toString(), dialect)
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            command.environment().put("NODE_PATH", Settings.existingPath("ciam.it.node.modules").toString());
            Process node = command.start();
            if (!node.waitFor(2, TimeUnit.MINUTES)) {
                // hash-wasm's WebAssembly has been seen to stall now and then: a fresh process, once
                node.destroyForcibly().waitFor();
                System.err.println("[ciam-it] legacy-customers.cjs stalled; writing the shop once more");
                node = command.start();
                if (!node.waitFor(2, TimeUnit.MINUTES)) {
                    node.destroyForcibly();
                    throw new IllegalStateException("legacy-customers.cjs did not end within 2 minutes, twice: "
                            + Files.readString(output));
                }
            }
            if (node.exitValue() != 0) {
                throw new IllegalStateException("legacy-customers.cjs failed: " + Files.readString(output));
            }
            Files.delete(output);
            database.load(sql);
            Files.delete(sql);
            return new LegacyShop(database);
        } catch (IOException e) {
            database.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            database.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String username(int n) {
        return "legacy-" + n;
    }

    public static String email(int n) {
        return "legacy-" + n + "@legacy.acme.test";
    }

    public static String password(int n) {
        return "Legacy-" + n + "-Pass!";
    }

    public static String format(int n) {
        return FORMATS.get(n % FORMATS.size());
    }

    /** Adds the store to the realm's user federation, as an admin does in the console; returns its id. */
    public String federate(AdminApi admin, String realm) {
        return federate(admin, realm, Map.of());
    }

    /** The same, with more settings of the store (mode, hash import, cache policy, ...). */
    public String federate(AdminApi admin, String realm, Map<String, String> settings) {
        try {
            Files.writeString(LocalKeycloak.vault().resolve(realm + "_" + VAULT_KEY),
                    database.password().isEmpty() ? "not-needed-with-trust-auth" : database.password());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode component = Http.JSON.createObjectNode().put("name", "legacy-shop")
                .put("providerId", "ciam-legacy-jdbc").put("providerType", "org.keycloak.storage.UserStorageProvider")
                .put("parentId", admin.get("/realms/" + realm).get("id").asText());
        ObjectNode config = component.putObject("config");
        config.putArray("enabled").add("true");
        config.putArray("priority").add("0");
        config.putArray("jdbcUrl").add(database.jdbcUrl());
        config.putArray("user").add(database.user());
        config.putArray("password").add("${vault." + VAULT_KEY + "}");
        config.putArray("timeoutSeconds").add("2");
        config.putArray("outagePauseSeconds").add("1");
        config.putArray("emailVerifiedColumn").add("email_confirmed");
        config.putArray("attributeColumns").add("phone_number=phone");
        settings.forEach((key, value) -> config.putArray(key).add(value));
        HttpResponse<String> created = admin.send("POST", "/realms/" + realm + "/components", component);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("component not created: " + created.statusCode() + " " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /**
     * A realm of Keycloak's own flows for a store of its own (made anew): brute-force detection on (30 failures),
     * and attributes outside the user profile kept, as the legacy columns land there.
     */
    public static void newRealm(AdminApi admin, String realm) {
        admin.send("DELETE", "/realms/" + realm, null);
        ObjectNode rep = Http.JSON.createObjectNode().put("realm", realm).put("enabled", true)
                .put("bruteForceProtected", true).put("failureFactor", 30);
        expect(admin.send("POST", "/realms", rep), 201);
        ObjectNode profile = (ObjectNode) admin.get("/realms/" + realm + "/users/profile");
        profile.put("unmanagedAttributePolicy", "ADMIN_EDIT");
        expect(admin.send("PUT", "/realms/" + realm + "/users/profile", profile), 200);
    }

    /** A password grant of the realm's own admin-cli client (public, direct grants on in every new realm). */
    public static HttpResponse<String> passwordGrant(ServerUnderTest server, String realm, String username,
                                                     String password) {
        return Http.send(HttpRequest.newBuilder(URI.create(server.realmUrl(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(Map.of("grant_type", "password", "client_id", "admin-cli", "username", username,
                        "password", password)))
                .build());
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    public List<String> query(String sql) {
        return database.query(sql);
    }

    /**
     * The statements the shop's database ran on its customers table while {@code work} ran (PostgreSQL only). Every
     * connection is logged: nothing else may ask about customers meanwhile (a synchronization, an admin's search).
     */
    List<String> customerQueriesDuring(Runnable work) {
        if (!(database instanceof PostgresServer postgres)) {
            throw new IllegalStateException("the statement log is read on PostgreSQL only");
        }
        return postgres.statementsByTransaction(work).values().stream().flatMap(List::stream)
                .filter(statement -> statement.contains("from customers")).toList();
    }

    /** The legacy database goes down (connections cut), its data kept. */
    void stop() {
        database.pause();
    }

    void restart() {
        database.resume();
    }

    @Override
    public void close() {
        database.close();
    }
}
