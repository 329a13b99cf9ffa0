package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Docker files are safe by default and set up for production, read without a Docker engine: no secret has a
 * default, the management port and the mail catcher's API are never open to the network, and only the demo
 * profile imports the demo realm (once); the image is built for PostgreSQL with the vault, health and metrics and
 * starts optimized; two nodes share the database, the vault and the GeoIP files, and the second starts once the
 * first is ready. The compose file must also be valid YAML.
 */
class DockerDefaultsTest {

    private static final Path DOCKER = Path.of(System.getProperty("basedir", ".")).resolve("../docker").normalize();
    private static final Path ROOT = DOCKER.getParent();
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{(\\w+):\\?[^}]+}");
    /** Short volume syntax: source (may hold "${VAR:-default}"), an absolute target, optional mode ("ro"). */
    private static final Pattern SHORT_VOLUME = Pattern.compile("(.*):(/[^:]*)(?::([a-z,]+))?");

    private final Map<String, Object> compose = compose();

    @Test
    void composeHasNoDefaultSecretsAndStopsWithAMessageWhenOneIsMissing() {
        List<String> checked = new ArrayList<>();
        services().forEach((name, service) -> environment(service).forEach((variable, value) -> {
            if (variable.contains("PASSWORD") || variable.contains("SECRET")) {
                Matcher required = REQUIRED_VARIABLE.matcher(String.valueOf(value));
                assertThat(required.matches()).as(name + " " + variable + " = " + value
                        + ": must be ${VAR:?message}, never a default").isTrue();
                checked.add(required.group(1));
            }
        }));
        assertThat(checked).contains("KC_BOOTSTRAP_ADMIN_PASSWORD", "POSTGRES_PASSWORD");
        assertThat(keycloakNodes()).isNotEmpty().allSatisfy((name, node) -> assertThat(
                environment(node).get("KC_BOOTSTRAP_ADMIN_PASSWORD")).as(name)
                .isEqualTo("${KC_BOOTSTRAP_ADMIN_PASSWORD:?set the temporary admin's password}"));
    }

    @Test
    void everyNodeReadsTheClientAddressFromTheLoadBalancerNamedByTheOperatorOnly() {
        assertThat(keycloakNodes()).isNotEmpty().allSatisfy((name, node) -> {
            Map<String, Object> environment = environment(node);
            assertThat(environment.get("KC_PROXY_HEADERS")).as(name).isEqualTo("xforwarded");
            Matcher trusted = REQUIRED_VARIABLE.matcher(String.valueOf(environment.get("KC_PROXY_TRUSTED_ADDRESSES")));
            assertThat(trusted.matches()).as(name + ": the trusted proxies have no default, the operator names them")
                    .isTrue();
            assertThat(trusted.group(1)).isEqualTo("CIAM_TRUSTED_PROXIES");
        });
    }

    @Test
    void onlyKeycloakHttpIsPublishedAndEveryPublishedPortIsBoundToLoopback() {
        List<String> published = new ArrayList<>();
        services().forEach((name, service) -> ports(service).forEach(port -> {
            published.add(name + " " + port.hostPort() + ":" + port.containerPort());
            assertThat(port.hostIp()).as(name + " publishes " + port + " to the network").isEqualTo("127.0.0.1");
            assertThat(port.containerPort()).as(name + ": the management port (health, metrics) stays inside")
                    .isNotEqualTo("9000");
            if (profiles(service).isEmpty()) {
                assertThat(port.containerPort()).as(name + " (always on)").isEqualTo("8080");
            } else {
                assertThat(profiles(service)).as(name + " publishes " + port).containsExactly("demo");
            }
        }));
        assertThat(published).as("service host:container")
                .containsExactlyInAnyOrder("keycloak-1 8080:8080", "keycloak-2 8081:8080", "mail 8025:8080");
        assertThat(profiles(services().get("mail"))).as("the mail catcher is demo only").containsExactly("demo");
    }

    @Test
    void onlyTheDemoProfileImportsTheDemoRealmAndOnlyIfItIsMissing() throws IOException {
        List<String> importers = new ArrayList<>();
        services().forEach((name, service) -> {
            List<String> command = command(service);
            boolean imports = command.contains("--import-realm") || command.contains("import");
            if (imports) {
                importers.add(name);
                assertThat(profiles(service)).as(name + " imports a realm").containsExactly("demo");
                assertThat(String.join(" ", command)).as(name + " keeps an existing realm").contains(
                        "--override false");
            }
        });
        assertThat(importers).containsExactly("demo-realm");

        List<Stage> stages = stages(Files.readString(DOCKER.resolve("Dockerfile")));
        Stage server = stages.get(stages.size() - 1);
        assertThat(server.name()).as("the default target is the operator's server").isEqualTo("server");
        assertThat(server.text()).contains("CMD [\"start\", \"--optimized\"]").doesNotContain("import");
        assertThat(stages.get(0).text()).as("the builder moves the demo realm out of the server's home")
                .contains("mv /opt/keycloak/data/import /tmp/ciam-demo/import");
        Stage demo = stages.stream().filter(stage -> stage.name().equals("demo")).findFirst().orElseThrow();
        assertThat(demo.text()).contains("--override\", \"false\"").doesNotContain("--import-realm");

        assertThat(keycloakNodes()).isNotEmpty().allSatisfy((name, node) ->
                assertThat(build(node).get("target")).as(name).isEqualTo("server"));
        assertThat(build(services().get("demo-realm")).get("target")).isEqualTo("demo");
    }

    @Test
    void theImageIsBuiltForPostgresWithVaultHealthAndMetricsAndStartsOptimized() throws IOException {
        List<Stage> stages = stages(Files.readString(DOCKER.resolve("Dockerfile")));
        Stage builder = stages.get(0);
        assertThat(builder.name()).isEqualTo("builder");
        Map<String, String> buildOptions = environmentBeforeBuild(builder);
        assertThat(buildOptions).as("ENV of the builder stage, set before 'kc.sh build' runs")
                .containsEntry("KC_DB", "postgres")
                .containsEntry("KC_VAULT", "file")
                .containsEntry("KC_HEALTH_ENABLED", "true")
                .containsEntry("KC_METRICS_ENABLED", "true");
        assertThat(buildOptions).as("the production build of docs/operations.md, as environment variables")
                .containsAllEntriesOf(documentedBuildOptions());

        Stage server = stages.get(stages.size() - 1);
        assertThat(server.name()).isEqualTo("server");
        assertThat(server.text()).as("the server runs what the builder built, without building again")
                .contains("COPY --from=builder /opt/keycloak/ /opt/keycloak/")
                .contains("ENTRYPOINT [\"/opt/keycloak/bin/kc.sh\"]")
                .contains("CMD [\"start\", \"--optimized\"]")
                .doesNotContain("kc.sh build");
    }

    @Test
    void twoOptimizedNodesShareTheDatabaseTheVaultAndTheGeoIpFiles() throws IOException {
        List<String> geoIpOptions = geoIpOptions();
        Map<String, Map<String, Object>> nodes = keycloakNodes();
        assertThat(nodes.keySet()).containsExactly("keycloak-1", "keycloak-2");
        Map<String, Object> database = environment(services().get("postgres"));
        Stage builder = stages(Files.readString(DOCKER.resolve("Dockerfile"))).get(0);
        Set<String> buildOptions = environmentBeforeBuild(builder).keySet();
        nodes.forEach((name, node) -> {
            assertThat(build(node).get("target")).as(name).isEqualTo("server");
            assertThat(command(node)).as(name).containsExactly("start", "--optimized");
            Map<String, Object> environment = environment(node);
            assertThat(environment).as(name + ": the database of the postgres service")
                    .containsEntry("KC_DB_URL", "jdbc:postgresql://postgres:5432/" + database.get("POSTGRES_DB"))
                    .containsEntry("KC_DB_USERNAME", database.get("POSTGRES_USER"))
                    .containsEntry("KC_DB_PASSWORD", database.get("POSTGRES_PASSWORD"));
            assertThat(environment.keySet()).as(name + ": build-time options are the image's; naming them at an "
                    + "optimized start is refused").doesNotContainAnyElementsOf(buildOptions);

            List<Mount> mounts = mounts(node);
            Object vault = environment.get("KC_VAULT_DIR");
            assertThat(vault).as(name + " KC_VAULT_DIR").isNotNull();
            assertThat(mounts).as(name + ": the vault folder, mounted read-only")
                    .contains(new Mount(String.valueOf(vault), true));
            for (String option : geoIpOptions) {
                String variable = environmentVariable(option);
                Object file = environment.get(variable);
                assertThat(file).as(name + " " + variable).isNotNull();
                assertThat(mounts).as(name + ": " + file + " lies in a folder mounted read-only")
                        .anySatisfy(mount -> {
                            assertThat(mount.readOnly()).isTrue();
                            assertThat(Path.of(String.valueOf(file)).startsWith(Path.of(mount.target()))).isTrue();
                        });
            }
        });
        assertThat(nodes.values().stream().map(node -> environment(node).get("KC_DB_URL")).distinct())
                .as("one database for both nodes").hasSize(1);
        assertThat(nodes.values().stream().map(node -> environment(node).get("KC_HOSTNAME")).distinct())
                .as("one public address for both nodes").hasSize(1);
    }

    @Test
    void theSecondNodeStartsOnceTheFirstIsReady() {
        Map<String, Map<String, Object>> nodes = keycloakNodes();
        assertThat(nodes).containsKeys("keycloak-1", "keycloak-2");
        nodes.forEach((name, node) -> {
            Map<String, Object> dependsOn = dependsOn(node);
            assertThat(mapping(dependsOn.get("postgres"))).as(name + " on postgres")
                    .containsEntry("condition", "service_healthy");
            assertThat(mapping(dependsOn.get("demo-realm"))).as(name + " on the demo import (demo profile only)")
                    .containsEntry("condition", "service_completed_successfully").containsEntry("required", false);
        });
        assertThat(mapping(dependsOn(nodes.get("keycloak-2")).get("keycloak-1")))
                .as("keycloak-2 waits until keycloak-1 has run the changesets and is ready")
                .containsEntry("condition", "service_healthy");
        assertThat(dependsOn(nodes.get("keycloak-1"))).doesNotContainKey("keycloak-2");

        Map<String, Object> healthcheck = mapping(nodes.get("keycloak-1").get("healthcheck"));
        assertThat(healthcheck).as("keycloak-1 must have a healthcheck, or keycloak-2 never starts").isNotNull();
        assertThat(String.join(" ", strings(healthcheck.get("test")))).as("readiness on the management port")
                .contains("/dev/tcp/localhost/9000").contains("GET /health/ready").contains("\"UP\"");
    }

    @Test
    void theGeoIpFilesAreTheOnesTheReadmeNames() throws IOException {
        Matcher option = Pattern.compile("--(spi-ciam-geoip--maxmind--[a-z-]+-database)=(\\S+)")
                .matcher(Files.readString(ROOT.resolve("README.md")));
        Map<String, String> documented = new LinkedHashMap<>();
        while (option.find()) {
            documented.put(environmentVariable(option.group(1)), option.group(2));
        }
        assertThat(documented).as("the README's GeoIP options").hasSize(geoIpOptions().size());
        keycloakNodes().forEach((name, node) -> assertThat(environment(node)).as(name)
                .containsAllEntriesOf(documented));
    }

    private record Port(String hostIp, String hostPort, String containerPort) {
    }

    private record Mount(String target, boolean readOnly) {
    }

    private record Stage(String name, String text) {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() {
        try {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(Files.readString(DOCKER.resolve("compose.yaml")));
            assertThat(document).as("compose.yaml is a YAML mapping").isInstanceOf(Map.class);
            return (Map<String, Object>) document;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** The services that run a Keycloak server ('start' or 'start-dev'), in the file's order. */
    private Map<String, Map<String, Object>> keycloakNodes() {
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        services().forEach((name, service) -> {
            List<String> command = command(service);
            if (!command.isEmpty() && command.get(0).startsWith("start")) {
                nodes.put(name, service);
            }
        });
        return nodes;
    }

    /** Keycloak's environment form of an option: KC_, upper case, every '-' an '_' ("--" becomes "__"). */
    private static String environmentVariable(String option) {
        return "KC_" + option.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The GeoIP database options the local run passes (run-local.sh), e.g. spi-ciam-geoip--maxmind--asn-database. */
    private static List<String> geoIpOptions() throws IOException {
        Matcher option = Pattern.compile("--(spi-ciam-geoip--maxmind--[a-z-]+-database)=")
                .matcher(Files.readString(DOCKER.resolve("run-local.sh")));
        List<String> options = new ArrayList<>();
        while (option.find()) {
            options.add(option.group(1));
        }
        assertThat(options).as("GeoIP options in run-local.sh").containsExactlyInAnyOrder(
                "spi-ciam-geoip--maxmind--city-database", "spi-ciam-geoip--maxmind--asn-database",
                "spi-ciam-geoip--maxmind--anonymous-ip-database");
        return options;
    }

    /** The options of the 'kc.sh build' line in docs/operations.md, as the environment variables they become. */
    private static Map<String, String> documentedBuildOptions() throws IOException {
        Matcher build = Pattern.compile("kc\\.sh build((?:\\s+--[a-z-]+=\\S+)+)")
                .matcher(Files.readString(ROOT.resolve("docs/operations.md")));
        assertThat(build.find()).as("a 'kc.sh build' line in docs/operations.md").isTrue();
        Map<String, String> options = new LinkedHashMap<>();
        for (String option : build.group(1).trim().split("\\s+")) {
            String[] parts = option.substring(2).split("=", 2);
            options.put(environmentVariable(parts[0]), parts[1]);
        }
        return options;
    }

    /** The builder stage's ENV variables set before the instruction that runs 'kc.sh build'. */
    private static Map<String, String> environmentBeforeBuild(Stage builder) {
        Map<String, String> environment = new LinkedHashMap<>();
        Pattern assignment = Pattern.compile("(\\w+)=(\\S+)");
        for (String instruction : builder.text().replace("\\\n", " ").split("\n")) {
            String line = instruction.strip();
            if (line.startsWith("RUN ") && line.contains("kc.sh build")) {
                return environment;
            }
            if (line.startsWith("ENV ")) {
                Matcher pair = assignment.matcher(line.substring(4));
                while (pair.find()) {
                    environment.put(pair.group(1), pair.group(2));
                }
            }
        }
        throw new AssertionError("the builder stage never runs 'kc.sh build'");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        Object environment = service.getOrDefault("environment", Map.of());
        assertThat(environment).as("environment as a mapping (the YAML merge of x-database resolved)")
                .isInstanceOf(Map.class);
        return (Map<String, Object>) environment;
    }

    @SuppressWarnings("unchecked")
    private static List<String> profiles(Map<String, Object> service) {
        return (List<String>) service.getOrDefault("profiles", List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(Map<String, Object> service) {
        Object command = service.getOrDefault("command", List.of());
        return command instanceof List<?> list ? (List<String>) list : List.of(String.valueOf(command).split("\\s+"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> build(Map<String, Object> service) {
        return (Map<String, Object>) service.get("build");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? (List<String>) list : List.of(String.valueOf(value));
    }

    private static Map<String, Object> dependsOn(Map<String, Object> service) {
        Object dependsOn = service.getOrDefault("depends_on", Map.of());
        assertThat(dependsOn).as("depends_on in the long form (with conditions)").isInstanceOf(Map.class);
        return mapping(dependsOn);
    }

    /** Short ("source:/target:ro") and long ({type, source, target, read_only}) forms. */
    @SuppressWarnings("unchecked")
    private static List<Mount> mounts(Map<String, Object> service) {
        List<Mount> mounts = new ArrayList<>();
        for (Object entry : (List<Object>) service.getOrDefault("volumes", List.of())) {
            if (entry instanceof Map<?, ?> map) {
                mounts.add(new Mount(String.valueOf(map.get("target")), Boolean.TRUE.equals(map.get("read_only"))));
            } else {
                Matcher volume = SHORT_VOLUME.matcher(String.valueOf(entry));
                assertThat(volume.matches()).as("volume " + entry).isTrue();
                String mode = volume.group(3) == null ? "" : volume.group(3);
                mounts.add(new Mount(volume.group(2), List.of(mode.split(",")).contains("ro")));
            }
        }
        return mounts;
    }

    /** Short ("127.0.0.1:8025:8080", "8080:8080", "8080") and long ({host_ip, published, target}) forms. */
    @SuppressWarnings("unchecked")
    private static List<Port> ports(Map<String, Object> service) {
        List<Port> ports = new ArrayList<>();
        for (Object entry : (List<Object>) service.getOrDefault("ports", List.of())) {
            if (entry instanceof Map<?, ?> map) {
                ports.add(new Port(String.valueOf(map.get("host_ip")), String.valueOf(map.get("published")),
                        String.valueOf(map.get("target"))));
            } else {
                String[] parts = String.valueOf(entry).split("/")[0].split(":");
                String hostIp = parts.length == 3 ? parts[0] : "0.0.0.0";
                String hostPort = parts.length >= 2 ? parts[parts.length - 2] : "";
                ports.add(new Port(hostIp, hostPort, parts[parts.length - 1]));
            }
        }
        return ports;
    }

    /** The Dockerfile's stages in order: "FROM image AS name" and the lines up to the next FROM. */
    private static List<Stage> stages(String dockerfile) {
        List<Stage> stages = new ArrayList<>();
        Matcher from = Pattern.compile("(?m)^FROM\\s+\\S+(?:\\s+AS\\s+(\\S+))?\\s*$").matcher(dockerfile);
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (from.find()) {
            starts.add(from.start());
            names.add(from.group(1) == null ? "" : from.group(1));
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1) : dockerfile.length();
            stages.add(new Stage(names.get(i), dockerfile.substring(starts.get(i), end)));
        }
        assertThat(stages).as("stages in the Dockerfile").isNotEmpty();
        return stages;
    }
}
