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
        return start(purpose, new Periodic(purpose, periodMs, task));
    }

    /**
     * A factory for executors: daemon threads named {@code hbwatch-<purpose>-1}, {@code -2}, ...
     */
    public static ThreadFactory factory(String purpose) {
        return new Factory(PREFIX + purpose + "-");
    }

    private static Thread newThread(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler(LogUncaught.INSTANCE);
        return t;
    }

    // Named classes rather than lambdas, here and in HbAgent: a lambda spins a hidden class in the
    // host at its first use, and the first one of the JVM also sets up the lambda machinery, on
    // premain's thread, before the application's main.

    /** Writes an uncaught throwable as one {@code hbwatch:} line. */
    private static final class LogUncaught implements Thread.UncaughtExceptionHandler {
        static final LogUncaught INSTANCE = new LogUncaught();

        @Override
        public void uncaughtException(Thread thread, Throwable e) {
            Log.warn(thread.getName() + " failed: " + Log.describe(e));
        }
    }

    /** The loop of {@link #startPeriodic}. */
    private static final class Periodic implements Runnable {
        private final String purpose;
        private final long periodMs;
        private final Runnable task;

        Periodic(String purpose, long periodMs, Runnable task) {
            this.purpose = purpose;
            this.periodMs = periodMs;
            this.task = task;
        }

        @Override
        public void run() {
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
        }
    }

    /** Threads {@code <prefix>1}, {@code <prefix>2}, ... */
    private static final class Factory implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger n = new AtomicInteger();

        Factory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable task) {
            return HbThreads.newThread(prefix + n.incrementAndGet(), task);
        }
    }
}
