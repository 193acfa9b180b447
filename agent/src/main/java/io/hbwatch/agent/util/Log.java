package io.hbwatch.agent.util;

import java.io.PrintStream;

/**
 * The agent's only output: single lines on stderr starting {@code hbwatch:}. No logging framework
 * (it would leak into the host's class path); debug lines only with {@code debug=true}.
 *
 * <p>Thread-safe.
 */
public final class Log {
    private static volatile boolean debug;

    private Log() {}

    public static void setDebug(boolean on) {
        debug = on;
    }

    public static boolean isDebug() {
        return debug;
    }

    /** Prints {@code hbwatch: <message>}: a problem the user should see. */
    public static void warn(String message) {
        line(message);
    }

    /** Prints {@code hbwatch: <message>}: what the agent does, once (where it listens, say). */
    public static void info(String message) {
        line(message);
    }

    /** Prints {@code hbwatch: debug: <message>} when debug output is on. */
    public static void debug(String message) {
        if (debug) {
            line("debug: " + message);
        }
    }

    /** Describes a throwable in one line: its message, or its type when it has none. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + m;
    }

    private static void line(String message) {
        PrintStream err = System.err;
        // One println call: lines from several threads never interleave mid-line.
        err.println("hbwatch: " + message.replace('\n', ' '));
    }
}
