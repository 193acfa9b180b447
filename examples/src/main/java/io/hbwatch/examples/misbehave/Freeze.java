package io.hbwatch.examples.misbehave;

import java.io.IOException;
import java.util.Locale;

/**
 * Stops the whole JVM for a while, as a long stop-the-world pause does: every thread, the
 * heartbeat's included, stands still, then all resume at once and find the clock has jumped.
 *
 * <p>A JVM cannot reliably pause itself from Java code: a huge {@code System.gc()} depends on the
 * collector and the heap, and a long counted loop that delays the safepoint is defeated by loop
 * strip mining under G1. What it can do is
 * ask a helper shell to send it {@code SIGSTOP} and, {@code ms} later, {@code SIGCONT}: the kernel
 * then stops every thread exactly as a freeze from outside would. POSIX only (Linux, macOS).
 */
public final class Freeze {
    /** The longest freeze accepted, in milliseconds: long enough for any demo, short enough to be safe. */
    public static final long MAX_MS = 60_000;

    private Freeze() {}

    /**
     * Starts the helper and returns; the JVM stops about 100 ms later, and resumes {@code ms} later.
     *
     * @param ms how long the JVM stays stopped, 1 to {@link #MAX_MS}
     * @return the helper process (it outlives the freeze by nothing: it ends after the SIGCONT)
     * @throws IOException if {@code sh} cannot be started (not a POSIX system)
     */
    public static Process start(long ms) throws IOException {
        if (ms < 1 || ms > MAX_MS) {
            throw new IllegalArgumentException("pause must be 1 to " + MAX_MS + " ms, was " + ms);
        }
        long pid = ProcessHandle.current().pid();
        // The short sleep first lets the HTTP answer leave before the JVM stops.
        String script = String.format(
                Locale.ROOT, "sleep 0.1; kill -STOP %d; sleep %.3f; kill -CONT %d", pid, ms / 1000.0, pid);
        return new ProcessBuilder("sh", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
