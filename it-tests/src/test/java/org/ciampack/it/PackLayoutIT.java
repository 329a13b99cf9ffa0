package org.ciampack.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The operator's zip unzips straight over a Keycloak home and never ships a library Keycloak already has; the
 * Dockerfile and compose file agree with the build that makes the pack.
 */
class PackLayoutIT {

    private static final Pattern VERSIONED_JAR = Pattern.compile("(.+?)-\\d[^/]*\\.jar");

    private final Path pack = Path.of(System.getProperty("ciam.it.pack.zip"));
    private final Path keycloakHome = Path.of(System.getProperty("ciam.it.keycloak.home"));
    private final Path root = Path.of(System.getProperty("ciam.it.project.root"));

    @Test
    void everyEntryLandsInAKeycloakHomeFolder() throws IOException {
        List<String> files = packFiles();

        assertThat(files).allMatch(name -> name.startsWith("providers/") || name.startsWith("conf/")
                || name.startsWith("data/import/"), "under providers/, conf/ or data/import/");
        assertThat(files).contains("data/import/acme-realm.json", "conf/ciam.conf.example");
        assertThat(files).anyMatch(name -> name.matches("providers/ciam-themes-.+\\.jar"));
    }

    @Test
    void noProviderJarDuplicatesAKeycloakLibrary() throws IOException {
        List<String> keycloakLibraries; // named group.artifact-version.jar
        try (Stream<Path> libs = Files.list(keycloakHome.resolve("lib/lib/main"))) {
            keycloakLibraries = libs.map(lib -> withoutVersion(lib.getFileName().toString())).toList();
        }
        assertThat(keycloakLibraries).as("Keycloak's library folder was read")
                .contains("org.keycloak.keycloak-core", "com.fasterxml.jackson.core.jackson-databind");

        List<String> shipped = packFiles().stream()
                .filter(name -> name.startsWith("providers/") && name.endsWith(".jar"))
                .map(name -> withoutVersion(name.substring("providers/".length())))
                .toList();
        assertThat(shipped).isNotEmpty();
        for (String artifact : shipped) {
            assertThat(keycloakLibraries).as(artifact + " is shipped by Keycloak already")
                    .noneMatch(library -> library.equals(artifact) || library.endsWith("." + artifact));
        }
    }

    @Test
    void dockerfileBuildsFromTheSameKeycloakAndPackVersions() throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        String keycloakVersion = firstGroup("<keycloak.version>([^<]+)</keycloak.version>", pom);
        String packVersion = firstGroup("<artifactId>ciam-parent</artifactId>\\s*<version>([^<]+)</version>", pom);
        String dockerfile = Files.readString(root.resolve("docker/Dockerfile"));

        assertThat(firstGroup("ARG KEYCLOAK_VERSION=(\\S+)", dockerfile)).isEqualTo(keycloakVersion);
        assertThat(firstGroup("ARG CIAM_PACK_VERSION=(\\S+)", dockerfile)).isEqualTo(packVersion);
        assertThat(dockerfile).contains("COPY --chown=keycloak:keycloak target/ciam-pack-${CIAM_PACK_VERSION}/ /opt/keycloak/");
        assertThat(root.resolve("docker/target/ciam-pack-" + packVersion + "/data/import/acme-realm.json"))
                .as("the exploded pack the Dockerfile copies").exists();
        assertThat(pack.getFileName().toString()).isEqualTo("ciam-pack-" + packVersion + ".zip");

        String compose = Files.readString(root.resolve("docker/compose.yaml"));
        assertThat(compose).contains("CIAM_SMTP_HOST").contains("CIAM_SMTP_PORT"); // import: DockerDefaultsTest
    }

    private List<String> packFiles() throws IOException {
        try (ZipFile zip = new ZipFile(pack.toFile())) {
            return zip.stream().filter(entry -> !entry.isDirectory()).map(ZipEntry::getName).toList();
        }
    }

    private static String withoutVersion(String jarFile) {
        Matcher matcher = VERSIONED_JAR.matcher(jarFile);
        return matcher.matches() ? matcher.group(1) : jarFile;
    }

    private static String firstGroup(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("found " + regex).isTrue();
        return matcher.group(1);
    }
}
