package org.ciampack.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Docker files are safe by default, read without a Docker engine: no secret has a default, the management
 * port and the mail catcher's API are never open to the network, and only the demo profile imports the demo
 * realm (once). The compose file must also be valid YAML.
 */
class DockerDefaultsTest {

    private static final Path DOCKER = Path.of(System.getProperty("basedir", ".")).resolve("../docker").normalize();
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{(\\w+):\\?[^}]+}");

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
        assertThat(environment(services().get("keycloak")).get("KC_BOOTSTRAP_ADMIN_PASSWORD"))
                .isEqualTo("${KC_BOOTSTRAP_ADMIN_PASSWORD:?set the temporary admin's password}");
    }

    @Test
    void onlyKeycloakHttpIsPublishedAndEveryPublishedPortIsBoundToLoopback() {
        List<String> published = new ArrayList<>();
        services().forEach((name, service) -> ports(service).forEach(port -> {
            published.add(name + " " + port.containerPort());
            assertThat(port.hostIp()).as(name + " publishes " + port + " to the network").isEqualTo("127.0.0.1");
            assertThat(port.containerPort()).as(name + ": the management port (health, metrics) stays inside")
                    .isNotEqualTo("9000");
            if (profiles(service).isEmpty()) {
                assertThat(port.containerPort()).as(name + " (always on)").isEqualTo("8080");
            } else {
                assertThat(profiles(service)).as(name + " publishes " + port).containsExactly("demo");
            }
        }));
        assertThat(published).containsExactlyInAnyOrder("keycloak 8080", "mail 8080");
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

        assertThat(build(services().get("keycloak")).get("target")).isEqualTo("server");
        assertThat(build(services().get("demo-realm")).get("target")).isEqualTo("demo");
    }

    private record Port(String hostIp, String containerPort) {
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

    /** Short ("127.0.0.1:8025:8080", "8080:8080", "8080") and long ({host_ip, published, target}) forms. */
    @SuppressWarnings("unchecked")
    private static List<Port> ports(Map<String, Object> service) {
        List<Port> ports = new ArrayList<>();
        for (Object entry : (List<Object>) service.getOrDefault("ports", List.of())) {
            if (entry instanceof Map<?, ?> map) {
                ports.add(new Port(String.valueOf(map.get("host_ip")), String.valueOf(map.get("target"))));
            } else {
                String[] parts = String.valueOf(entry).split("/")[0].split(":");
                String hostIp = parts.length == 3 ? parts[0] : "0.0.0.0";
                ports.add(new Port(hostIp, parts[parts.length - 1]));
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
