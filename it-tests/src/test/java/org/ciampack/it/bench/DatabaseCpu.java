package org.ciampack.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time of a PostgreSQL server running on this machine (Linux's {@code /proc}): its postmaster and every
 * process it started (backends, writers, the WAL writer), with what its ended children used. On PostgreSQL the
 * database's share of a login runs outside Keycloak's process, and a journey's cost is both.
 */
final class DatabaseCpu {

    /** Linux's clock ticks per second for {@code /proc/<pid>/stat} (USER_HZ, 100 on x86 and ARM). */
    private static final long TICKS_PER_SECOND = 100;

    private final long postmaster;

    private DatabaseCpu(long postmaster) {
        this.postmaster = postmaster;
    }

    /** The server whose data directory is given (its {@code postmaster.pid} names the postmaster), or null. */
    static DatabaseCpu of(String dataDirectory) {
        if (dataDirectory == null || dataDirectory.isBlank()) {
            return null;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).trim());
            DatabaseCpu database = new DatabaseCpu(pid);
            return Double.isNaN(database.nanos()) ? null : database;
        } catch (IOException | RuntimeException noServer) {
            return null;
        }
    }

    /**
     * The server's CPU so far, in nanoseconds; NaN once it is gone. The postmaster's own time and its ended children's
     * (the kernel adds a child's time to its parent's when the parent reaps it), and its live children's.
     */
    double nanos() {
        long[] postmasterTicks = ticks(Path.of("/proc", Long.toString(postmaster), "stat"));
        if (postmasterTicks == null) {
            return Double.NaN;
        }
        long ticks = postmasterTicks[1] + postmasterTicks[2];
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            ticks += processes.filter(process -> process.getFileName().toString().matches("\\d+"))
                    .map(process -> ticks(process.resolve("stat")))
                    .filter(child -> child != null && child[0] == postmaster)
                    .mapToLong(child -> child[1] + child[2])
                    .sum();
        } catch (IOException | RuntimeException notLinux) {
            return Double.NaN;
        }
        return ticks * (1_000_000_000.0 / TICKS_PER_SECOND);
    }

    /** A process's parent, its own CPU ticks and its reaped children's (fields 4, 14 + 15 and 16 + 17 of proc(5)). */
    private static long[] ticks(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }
}
