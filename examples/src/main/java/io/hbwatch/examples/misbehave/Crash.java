package io.hbwatch.examples.misbehave;

/**
 * Ends the JVM the hard way, as a native crash or the OOM killer would: {@link Runtime#halt(int)}
 * runs no shutdown hooks and closes nothing gracefully, so the agent has no chance to say goodbye.
 */
public final class Crash {
    private Crash() {}

    /** Halts the JVM with {@code exitCode}; never returns. */
    public static void now(int exitCode) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(exitCode);
    }
}
