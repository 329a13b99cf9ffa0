package org.ciampack.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/** The suite's settings, passed by Maven as system properties (see it-tests/pom.xml). */
public final class Settings {

    private Settings() {
    }

    static String required(String name) {
        String value = System.getProperty(name, "").trim();
        if (value.isEmpty()) {
            throw new IllegalStateException("Set the system property " + name + " (see it-tests/pom.xml).");
        }
        return value;
    }

    static String optional(String name) {
        return System.getProperty(name, "").trim();
    }

    public static Path existingPath(String name) {
        Path path = Path.of(required(name)).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException(name + " points at " + path + ", which does not exist; "
                    + "run the suite through Maven ('./mvnw verify') so the server is prepared first.");
        }
        return path;
    }

    public static Path output() {
        return Path.of(System.getProperty("ciam.it.output", "target")).toAbsolutePath().normalize();
    }
}
