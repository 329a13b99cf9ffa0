package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ciampack.it.harness.Http;
import org.ciampack.it.harness.LocalKeycloak;
import org.ciampack.it.harness.OidcCodeFlow;
import org.ciampack.it.harness.OidcCodeFlow.Attempt;
import org.ciampack.it.harness.Settings;
import org.ciampack.risk.geo.DemoGeoIpDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server whose configured GeoIP City database is not there (not downloaded yet, wrong path): it starts with one
 * warning, customers sign in with places unknown, and once the operator puts the file in place (as geoipupdate
 * does) places are known without a restart. A server of its own, since GeoIP is set per server.
 */
@Tag("local-distribution")
class MissingGeoIpDatabaseIT {

    private static final String PASSWORD = "Correct-Horse-42";
    private static final URI APP = URI.create("http://localhost:5173/callback");

    private static Path cityDatabase;
    private static LocalKeycloak server;

    @BeforeAll
    static void serverWithoutItsCityDatabase() throws IOException {
        cityDatabase = Settings.output().resolve("geoip-missing").resolve("GeoLite2-City.mmdb");
        Files.createDirectories(cityDatabase.getParent());
        Files.deleteIfExists(cityDatabase);
        server = LocalKeycloak.startSeparate("keycloak-no-geoip",
                List.of("--spi-ciam-geoip--maxmind--city-database=" + cityDatabase));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void loginsWorkWithPlacesUnknownUntilTheOperatorProvidesTheFile() throws IOException, InterruptedException {
        String warning = "GeoIP City database " + cityDatabase + " cannot be read (NoSuchFileException): what needs it is off until it can";
        assertThat(server.logTail(2000).lines().filter(line -> line.contains(warning))).as("one startup warning").hasSize(1);

        String email = "nogeo-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        String userId = server.admin().createUser("acme", email, PASSWORD, true);
        OidcCodeFlow berlin = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", "198.51.100.90");
        berlin.signIn(Attempt.fresh(), email, PASSWORD).code();
        OidcCodeFlow sydney = new OidcCodeFlow(server.realmUrl("acme"), "acme-web", APP).header("X-Forwarded-For", "203.0.113.90");
        sydney.signIn(Attempt.fresh(), email, PASSWORD).code();

        JsonNode login = server.admin().events("acme", userId, "LOGIN").get(0);
        assertThat(login.at("/details/risk_level").asText()).isEqualTo("low");
        assertThat(login.at("/details/risk_reasons").asText()).as("no place, so no new country and no travel to judge")
                .contains("location_unknown").doesNotContain("new_country").doesNotContain("impossible_travel");
        assertThat(whereIs(email, "198.51.100.9").path("country").isTextual()).as("no country").isFalse();

        // The operator's geoipupdate run: the file appears by an atomic move into place.
        Path download = Files.createTempDirectory(cityDatabase.getParent(), "download");
        DemoGeoIpDatabases.write(download);
        Files.move(download.resolve(DemoGeoIpDatabases.CITY), cityDatabase, StandardCopyOption.ATOMIC_MOVE);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!whereIs(email, "198.51.100.9").path("country").isTextual() && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
        }
        assertThat(whereIs(email, "198.51.100.9").get("city").asText()).as("loaded without a restart").isEqualTo("Berlin");
        assertThat(server.logTail(200)).contains("GeoIP City database loaded from " + cityDatabase);
    }

    private static JsonNode whereIs(String email, String address) {
        var response = server.admin().postAsAdmin(URI.create(server.adminRealmUrl("acme") + "/ciam-risk/what-if"),
                Http.JSON.createObjectNode().put("username", email).put("ipAddress", address).put("userAgent", "Firefox"));
        assertThat(response.statusCode()).isEqualTo(200);
        return Http.json(response.body()).get("location");
    }
}
