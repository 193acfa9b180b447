package io.hbwatch.agent.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one source of the agent's threads: every thread is a daemon (so it never keeps the host JVM
 * alive after {@code main} returns) named {@code hbwatch-<purpose>}, and an uncaught throwable
 * ends up as one {@code hbwatch:} line, never as a stack trace in the host's stderr.
 */
public final class HbThreads {
    /** Prefix of every thread the agent starts. */
    public static final String PREFIX = "hbwatch-";

    private HbThreads() {}

    /** Starts a new daemon thread {@code hbwatch-<purpose>} running {@code task}. */
    public static Thread start(String purpose, Runnable task) {
        Thread t = newThread(PREFIX + purpose, task);
        t.start();
        return t;
    }

    /**
     * Starts a daemon thread {@code hbwatch-<purpose>} that runs {@code task} at once and then
     * every {@code periodMs} after the previous run ends, until the thread is interrupted. A run
     * that throws is one {@code hbwatch:} line; the next run comes as planned.
     */
    public static Thread startPeriodic(String purpose, long periodMs, Runnable task) {
        return start(purpose, () -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    Log.warn(purpose + ": " + Log.describe(e));
                }
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /**
     * A factory for executors: daemon threads named {@code hbwatch-<purpose>-1}, {@code -2}, ...
     */
    public static ThreadFactory factory(String purpose) {
        AtomicInteger n = new AtomicInteger();
        return task -> newThread(PREFIX + purpose + "-" + n.incrementAndGet(), task);
    }

    private static Thread newThread(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> Log.warn(thread.getName() + " failed: " + Log.describe(e)));
        return t;
    }
}
