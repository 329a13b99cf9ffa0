package org.ciampack.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process's or thread's line of Linux's {@code /proc/.../stat} (proc(5)): its name, its parent, the CPU it used
 * (utime + stime) and what its ended, reaped children used (cutime + cstime), in clock ticks.
 */
record ProcStat(String name, long parent, long ticks, long childrenTicks) {

    /** Nanoseconds per clock tick of these files (USER_HZ, 100 on x86 and ARM). */
    static final double NANOS_PER_TICK = 1_000_000_000.0 / 100;

    /** The stat file read, or null when it is gone or unreadable. */
    static ProcStat read(Path stat) {
        try {
            String line = Files.readString(stat);
            // The name is between the first '(' and the last ')': it may hold spaces and parentheses itself.
            int nameEnd = line.lastIndexOf(')');
            String[] fields = line.substring(nameEnd + 2).split(" ");
            return new ProcStat(line.substring(line.indexOf('(') + 1, nameEnd), Long.parseLong(fields[1]),
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }
}
