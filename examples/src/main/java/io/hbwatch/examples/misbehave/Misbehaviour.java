package io.hbwatch.examples.misbehave;

import io.hbwatch.examples.orders.Workers;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The misbehaviour commands, shared by the HTTP endpoints and the commands read from stdin. Each
 * method starts the trouble, prints one {@code orders:} line saying what it did, and returns that
 * line for the caller to answer with. Thread-safe.
 */
public final class Misbehaviour {
    /** How long {@code hang} blocks when no time is given, in milliseconds. */
    public static final long DEFAULT_HANG_MS = 30_000;
    /** How long {@code pause} freezes when no time is given, in milliseconds. */
    public static final long DEFAULT_PAUSE_MS = 3_000;

    private final Workers workers;
    private final PrintStream log;

    public Misbehaviour(Workers workers, PrintStream log) {
        this.workers = workers;
        this.log = log;
    }

    /** Two threads take two locks in opposite order and never return. */
    public String deadlock(Deadlock.Kind kind) {
        Deadlock.start(kind);
        return say("deadlock: orders-deadlock-a and orders-deadlock-b now wait for each other's "
                + (kind == Deadlock.Kind.MONITOR ? "monitor" : "ReentrantLock") + ", forever");
    }

    /** The next {@code OrderService#process} call hangs for {@code ms}; an order is queued to trigger it. */
    public String hang(long ms) {
        workers.service().hangNext(ms);
        workers.submit("hang");
        return say("hang: the next OrderService#process call blocks for " + ms + " ms");
    }

    /** The whole JVM stops for {@code ms} (SIGSTOP from a helper shell), then resumes. */
    public String pause(long ms) throws IOException {
        Freeze.start(ms);
        return say("pause: the JVM stops for " + ms + " ms (SIGSTOP, then SIGCONT)");
    }

    /**
     * Halts the JVM about 100 ms from now, so that the caller's answer can leave first, on a thread
     * named {@code orders-crash}.
     */
    public String crash(int exitCode) {
        Thread t = new Thread(
                () -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        // halting anyway: that is what was asked
                    }
                    Crash.now(exitCode);
                },
                "orders-crash");
        t.setDaemon(false);
        t.start();
        return say("crash: halting with exit code " + exitCode + ", no shutdown hooks");
    }

    private String say(String line) {
        log.println("orders: " + line);
        log.flush();
        return line;
    }
}
