package org.ciampack.common.testing;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * Keycloak finds only what a module's {@code META-INF/services} files list. For the unit tests of each module (run
 * in the module's folder): what is wrong with its files, or nothing. Every concrete factory and SPI of the module
 * is listed under an interface it implements, every file of a factory interface is named for the factory interface
 * of an SPI, and every line names a concrete class of the module that implements the file's interface.
 */
public final class ServiceFiles {

    private static final Path CLASSES = Path.of("target/classes");

    private ServiceFiles() {
    }

    public static List<String> problems() throws IOException {
        Map<String, List<String>> listed = listed();
        List<String> problems = new ArrayList<>();
        Set<Class<?>> spiFactories = spiFactories();
        listed.forEach((service, names) -> {
            Class<?> type = load(service);
            if (ProviderFactory.class.isAssignableFrom(type) && !spiFactories.contains(type)) {
                problems.add(service + " is not the factory interface of an SPI: Keycloak never reads this file");
            }
            for (String name : names) {
                Class<?> listedClass = Files.exists(CLASSES.resolve(name.replace('.', '/') + ".class"))
                        ? load(name) : null;
                if (listedClass == null || !type.isAssignableFrom(listedClass) || !concrete(listedClass)) {
                    problems.add(service + " lists " + name + ", which is not a concrete " + type.getSimpleName()
                            + " of this module");
                }
            }
        });
        for (Class<?> provider : providers()) {
            boolean found = listed.entrySet().stream().anyMatch(file -> file.getValue().contains(provider.getName())
                    && load(file.getKey()).isAssignableFrom(provider));
            if (!found) {
                problems.add(provider.getName() + " is in no services file of an interface it implements");
            }
        }
        return problems;
    }

    /** Each services file of the module: the service interface's name and the class names it lists. */
    private static Map<String, List<String>> listed() throws IOException {
        Map<String, List<String>> listed = new TreeMap<>();
        Path folder = CLASSES.resolve("META-INF/services");
        if (!Files.isDirectory(folder)) {
            return listed;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                listed.put(file.getFileName().toString(), Files.readAllLines(file).stream().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
            }
        }
        return listed;
    }

    /**
     * The factory interface of every SPI on the class path (Keycloak's and the pack's own): the only names under which
     * Keycloak looks for factories.
     */
    private static Set<Class<?>> spiFactories() {
        Set<Class<?>> factories = new HashSet<>();
        Iterator<Spi> spis = ServiceLoader.load(Spi.class, ServiceFiles.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!spis.hasNext()) {
                    return factories;
                }
                factories.add(spis.next().getProviderFactoryClass());
            } catch (ServiceConfigurationError | LinkageError e) {
                // an SPI whose classes this module does not have: nothing of the module can be its factory
            }
        }
    }

    /** The module's concrete provider factories and SPIs. */
    private static List<Class<?>> providers() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .map(file -> CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .map(ServiceFiles::load)
                    .filter(type -> (ProviderFactory.class.isAssignableFrom(type) || Spi.class.isAssignableFrom(type))
                            && concrete(type) && !type.isAnonymousClass())
                    .toList();
        }
    }

    private static boolean concrete(Class<?> type) {
        return !type.isInterface() && !Modifier.isAbstract(type.getModifiers());
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ServiceFiles.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load " + name + ": " + e, e);
        }
    }
}
