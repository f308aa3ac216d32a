package dev.chatengine.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Linux's {@code /proc} says about a process: its CPU time and its resident memory. Stateless;
 * every method reads {@code /proc} afresh and returns -1 when it cannot (no such process, not Linux).
 */
final class ProcStats {

    /** USER_HZ on Linux/amd64: /proc/PID/stat counts CPU time in hundredths of a second. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;

    private ProcStats() {
    }

    /** User plus system CPU time of {@code pid} so far, in nanoseconds (10 ms resolution); -1 if unknown. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size of {@code pid} now, in KiB; -1 if unknown. */
    static long rssKib(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** The highest resident set size of {@code pid} so far ("high water mark"), in KiB; -1 if unknown. */
    static long hwmKib(long pid) {
        return statusField(pid, "VmHWM:");
    }

    private static long statusField(long pid, String name) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (String line : lines) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: unknown
        }
        return -1;
    }
}
