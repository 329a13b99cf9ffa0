package org.ciampack.it.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The CPU time of a Keycloak server's JIT compiler threads, when the server runs on this machine (Linux's
 * {@code /proc}). A server keeps compiling for minutes under load, more while the pack's rounds run (more code, and
 * switching sides can undo compiled code), so a round's CPU per journey includes compiling, which a server running
 * one kind of traffic for hours likely pays less of (docs/benchmarks.md, run W). Not {@code CompilationMXBean}'s total:
 * that is elapsed time, many times the CPU on a loaded machine. The JVM stops compiler threads it does not need and
 * their time leaves {@code /proc} with them, so a reader adds up each thread's growth twice a second.
 */
final class CompilerCpu implements AutoCloseable {

    private final Path tasks;
    private final Map<String, Long> lastTicks = new HashMap<>();
    private final ScheduledExecutorService reader;
    private long ticks;
    private boolean gone;

    private CompilerCpu(Path tasks) {
        this.tasks = tasks;
        this.reader = Executors.newSingleThreadScheduledExecutor(work -> {
            Thread thread = new Thread(work, "compiler-cpu");
            thread.setDaemon(true);
            return thread;
        });
        read();
        reader.scheduleAtFixedRate(this::read, 500, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * The compiler threads of the one local Keycloak process started with this HTTP and management port (the demo's
     * run command passes both), or null: a server on another machine, another system, no such process or several.
     */
    static CompilerCpu of(URI http, URI management) {
        if (!local(http.getHost())) {
            return null;
        }
        List<String> ports = List.of("--http-port=" + http.getPort(), "--http-management-port=" + management.getPort());
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            List<Path> servers = processes.filter(process -> process.getFileName().toString().matches("\\d+"))
                    .filter(process -> {
                        List<String> arguments = arguments(process);
                        return arguments.stream().anyMatch(argument -> argument.endsWith("QuarkusEntryPoint"))
                                && arguments.containsAll(ports);
                    })
                    .toList();
            return servers.size() == 1 ? new CompilerCpu(servers.get(0).resolve("task")) : null;
        } catch (IOException | RuntimeException notLinux) {
            return null;
        }
    }

    private static boolean local(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException unknown) {
            return false;
        }
    }

    private static List<String> arguments(Path process) {
        try {
            return Arrays.asList(new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                    .split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    /** The compiler threads' CPU so far, in nanoseconds; NaN once the server is gone. */
    synchronized double nanos() {
        read();
        return gone ? Double.NaN : ticks * ProcStat.NANOS_PER_TICK;
    }

    private synchronized void read() {
        Set<String> seen = new HashSet<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(thread -> {
                ProcStat stat = ProcStat.read(thread.resolve("stat"));
                if (stat == null || !stat.name().matches("C[12] CompilerThre.*")) {
                    return;
                }
                long now = stat.ticks();
                String id = thread.getFileName().toString();
                seen.add(id);
                Long before = lastTicks.put(id, now);
                // A new thread, or a new one under an exited one's id: all its time is new.
                ticks += before == null || now < before ? now : now - before;
            });
            lastTicks.keySet().retainAll(seen);
        } catch (IOException | RuntimeException serverGone) {
            gone = true;
        }
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
