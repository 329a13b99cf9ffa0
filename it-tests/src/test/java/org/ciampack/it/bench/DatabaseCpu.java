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

    private final long postmaster;

    private DatabaseCpu(long postmaster) {
        this.postmaster = postmaster;
    }

    /**
     * The server whose data directory is given (its {@code postmaster.pid} names the postmaster), or null: no such
     * file readable here, or its process is not a running {@code postgres} of this machine (a stale file, a server in
     * a container).
     */
    static DatabaseCpu of(String dataDirectory) {
        try {
            long pid = Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).trim());
            String name = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
            DatabaseCpu database = new DatabaseCpu(pid);
            return name.equals("postgres") && !Double.isNaN(database.nanos()) ? database : null;
        } catch (IOException | RuntimeException noServer) {
            return null;
        }
    }

    /**
     * The server's CPU so far, in nanoseconds; NaN once it is gone. The postmaster's own time and its ended children's
     * (the kernel adds a child's time to its parent's when the parent reaps it), and its live children's.
     */
    double nanos() {
        Path stat = Path.of("/proc", Long.toString(postmaster), "stat");
        for (int attempt = 0; attempt < 10; attempt++) {
            ProcStat before = ProcStat.read(stat);
            long children = liveChildrenTicks();
            ProcStat after = ProcStat.read(stat);
            if (before == null || after == null || children < 0) {
                return Double.NaN;
            }
            // A child reaped during the scan moved its time into the postmaster's: read again.
            if (before.childrenTicks() == after.childrenTicks()) {
                return (after.ticks() + after.childrenTicks() + children) * ProcStat.NANOS_PER_TICK;
            }
        }
        return Double.NaN;
    }

    /** The CPU ticks of the postmaster's live children and of their own ended children; -1 where unreadable. */
    private long liveChildrenTicks() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(process -> process.getFileName().toString().matches("\\d+"))
                    .map(process -> ProcStat.read(process.resolve("stat")))
                    .filter(child -> child != null && child.parent() == postmaster)
                    .mapToLong(child -> child.ticks() + child.childrenTicks())
                    .sum();
        } catch (IOException | RuntimeException notLinux) {
            return -1;
        }
    }
}
