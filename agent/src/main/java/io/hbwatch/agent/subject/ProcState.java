package io.hbwatch.agent.subject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The scheduler state of a process, from Linux's {@code /proc/PID/stat}: what {@link
 * ProcessHandle} does not say (stopped by a signal, zombie). Elsewhere it knows nothing.
 */
final class ProcState {
    /** State unknown: not Linux, or the process is gone. */
    static final char UNKNOWN = 0;

    private static final Path PROC = Paths.get("/proc");

    private ProcState() {}

    /**
     * Returns the state letter of {@code man 5 proc}: {@code R}, {@code S}, {@code D}, {@code T}
     * (stopped), {@code t} (stopped by a tracer), {@code Z} (zombie)..., or {@link #UNKNOWN}.
     */
    static char of(long pid) {
        if (!Files.isDirectory(PROC)) {
            return UNKNOWN;
        }
        try {
            String stat = new String(
                    Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat")), StandardCharsets.UTF_8);
            // "pid (comm) S ...": comm may hold spaces and parentheses, so look after the last ')'.
            int close = stat.lastIndexOf(')');
            return close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : UNKNOWN;
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    static boolean isStopped(char state) {
        return state == 'T' || state == 't';
    }

    static boolean isZombie(char state) {
        return state == 'Z' || state == 'X';
    }
}
