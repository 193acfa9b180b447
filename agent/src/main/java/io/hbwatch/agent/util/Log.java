package io.hbwatch.agent.util;

import io.hbwatch.protocol.Printable;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The agent's only output: single lines on stderr starting {@code hbwatch:}. No logging framework
 * (it would leak into the host's class path); debug lines only with {@code debug=true}.
 *
 * <p>Thread-safe.
 */
public final class Log {
    /** Most debug lines printed per second. */
    static final int DEBUG_LINES_PER_SECOND = 20;

    private static volatile boolean debug;
    private static volatile boolean timestamps;
    private static long debugSecondStart = System.nanoTime();
    private static int debugLinesThisSecond;
    private static long debugDropped;

    private Log() {}

    public static void setDebug(boolean on) {
        debug = on;
    }

    /** Whether every line starts with the time (option {@code timestamps}). */
    public static void setTimestamps(boolean on) {
        timestamps = on;
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

    /**
     * Prints {@code hbwatch: debug: <message>} when debug output is on, at most {@value
     * #DEBUG_LINES_PER_SECOND} a second: debug lines often tell of clients, and a client must not
     * be able to flood the host's stderr. The lines dropped are counted in the next one printed.
     */
    public static void debug(String message) {
        if (!debug) {
            return;
        }
        long dropped;
        synchronized (Log.class) {
            long now = System.nanoTime();
            if (now - debugSecondStart >= 1_000_000_000L) {
                debugSecondStart = now;
                debugLinesThisSecond = 0;
            }
            if (++debugLinesThisSecond > DEBUG_LINES_PER_SECOND) {
                debugDropped++;
                return;
            }
            dropped = debugDropped;
            debugDropped = 0;
        }
        line("debug: " + (dropped > 0 ? "(" + dropped + " debug lines dropped) " : "") + message);
    }

    /** Describes a throwable in one line: its message, or its type when it has none. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + m;
    }

    private static void line(String message) {
        PrintStream err = System.err;
        // One println call: lines from several threads never interleave mid-line.
        String line = "hbwatch: " + printable(message);
        err.println(timestamps ? Stamp.now() + ' ' + line : line);
    }

    /**
     * The message with control characters (a client's name, a path) as {@code \\uXXXX}, so that
     * no line can be split, overwritten or coloured by what it quotes.
     */
    static String printable(String message) {
        return Printable.of(message, true); // the agent's own long messages, folded
    }

    /** A holder, so that the JDK's formatter loads only when timestamps are asked for. */
    private static final class Stamp {
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneId.systemDefault());

        static String now() {
            return FORMAT.format(Instant.now());
        }
    }
}
