package io.hbwatch.agent.util;

import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one source of the agent's threads: every thread is a daemon (so it never keeps the host JVM
 * alive after {@code main} returns) named {@code hbwatch-<purpose>}, and an uncaught throwable
 * ends up as one {@code hbwatch:} line, never as a stack trace in the host's stderr.
 *
 * <p>The agent's long-lived loops are <em>watched</em> ({@link #startWatched}, {@link
 * #startPeriodic}): each records when it last went round ({@link #tick()}), and whether it died of
 * a throwable, so that the agent can report its own threads as dead or overdue (reason {@code
 * agent}) instead of silently losing a check. A loop must never die in the first place: each
 * catches every {@link Throwable}, {@link OutOfMemoryError} included, backs off and goes on.
 */
public final class HbThreads {
    /** Prefix of every thread the agent starts. */
    public static final String PREFIX = "hbwatch-";

    /** Pause after a periodic task failed, at least: a task that fails at once must not spin. */
    private static final long BACKOFF_MS = 1000;

    /** The watched loops; copy-on-write, so that readers on the beat thread allocate nothing. */
    private static volatile Watched[] watched = new Watched[0];

    private HbThreads() {}

    /** Starts a new daemon thread {@code hbwatch-<purpose>} running {@code task}; not watched. */
    public static Thread start(String purpose, Runnable task) {
        Thread t = newThread(PREFIX + purpose, task);
        t.start();
        return t;
    }

    /**
     * Starts a watched daemon thread {@code hbwatch-<purpose>}: its task calls {@link #tick()} at
     * least every {@code periodMs} while it runs (0: the thread waits for events and is only
     * checked for being alive). A task that returns has ended on purpose; one that throws has died.
     */
    public static Thread startWatched(String purpose, long periodMs, Runnable task) {
        Watched w = new Watched(PREFIX + purpose, periodMs, task);
        Thread t = newThread(w.name, w);
        w.thread = t;
        add(w);
        t.start();
        return t;
    }

    /**
     * Starts a watched daemon thread {@code hbwatch-<purpose>} that runs {@code task} at once and
     * then every {@code periodMs} after the previous run ends, until the thread is interrupted. A
     * run that throws anything, an {@link Error} included, is one {@code hbwatch:} line (once per
     * kind of failure in a row) and the next run comes after at least a second.
     */
    public static Thread startPeriodic(String purpose, long periodMs, Runnable task) {
        return startWatched(purpose, periodMs, new Periodic(purpose, periodMs, task));
    }

    /** Records that the current thread's watched loop went round; does nothing on other threads. */
    public static void tick() {
        Thread me = Thread.currentThread();
        for (Watched w : watched) {
            if (w.thread == me) {
                w.lastTickNanos = System.nanoTime();
                return;
            }
        }
    }

    /** The watched loops that have not ended on purpose, for the agent's own check. */
    public static Watched[] watched() {
        return watched;
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

    private static synchronized void add(Watched w) {
        Watched[] more = Arrays.copyOf(watched, watched.length + 1);
        more[watched.length] = w;
        watched = more;
    }

    /** Drops the watched loop of {@code thread}, dead or alive; for tests that kill one on purpose. */
    static void forget(Thread thread) {
        for (Watched w : watched) {
            if (w.thread == thread) {
                remove(w);
            }
        }
    }

    private static synchronized void remove(Watched w) {
        Watched[] now = watched;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == w) {
                Watched[] fewer = new Watched[now.length - 1];
                System.arraycopy(now, 0, fewer, 0, i);
                System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                watched = fewer;
                return;
            }
        }
    }

    /**
     * One watched loop: its thread, how often it should go round, when it last did, and what
     * killed it, if anything. Thread-safe: written by its own thread, read by the agent's check.
     */
    public static final class Watched implements Runnable {
        private final String name;
        private final long periodNanos;
        private final Runnable task;
        private volatile Thread thread;
        private volatile long lastTickNanos = System.nanoTime();
        private volatile String death;

        Watched(String name, long periodMs, Runnable task) {
            this.name = name;
            this.periodNanos = Math.max(0, periodMs) * 1_000_000L;
            this.task = task;
        }

        @Override
        public void run() {
            lastTickNanos = System.nanoTime();
            try {
                task.run();
                remove(this); // ended on purpose: the agent is closing
            } catch (Throwable e) {
                // Kept in the list: the agent's check reports the death. The simple name only: the
                // message may be what cannot be built when memory is short.
                death = e.getClass().getSimpleName();
                throw e;
            }
        }

        /** The thread's name, {@code hbwatch-<purpose>}. */
        public String name() {
            return name;
        }

        /** Whether this loop runs on {@code t}. */
        public boolean runsOn(Thread t) {
            return thread == t;
        }

        /** The throwable's simple class name if the loop died of one, else {@code null}. */
        public String death() {
            Thread t = thread;
            if (death == null && t != null && !t.isAlive() && t.getState() == Thread.State.TERMINATED) {
                return "an unknown cause"; // ended without going through run's catch (never expected)
            }
            return death;
        }

        /**
         * How far past its period the loop is, in nanoseconds, at {@code nowNanos}; 0 when on time or
         * when it is not periodic. Late means more than three periods and at least ten seconds
         * without a tick: a check that takes a safepoint in a sick JVM may well be slow once.
         */
        public long overdueNanos(long nowNanos) {
            if (periodNanos == 0) {
                return 0;
            }
            long allowed = Math.max(3 * periodNanos, periodNanos + 10_000_000_000L);
            long late = nowNanos - lastTickNanos - allowed;
            return late > 0 ? late + allowed : 0;
        }
    }

    // Named classes rather than lambdas, here and in HbAgent: a lambda spins a hidden class in the
    // host at its first use, and the first one of the JVM also sets up the lambda machinery, on
    // premain's thread, before the application's main.

    /** Writes an uncaught throwable as one {@code hbwatch:} line. */
    private static final class LogUncaught implements Thread.UncaughtExceptionHandler {
        static final LogUncaught INSTANCE = new LogUncaught();

        @Override
        public void uncaughtException(Thread thread, Throwable e) {
            try {
                Log.warn(thread.getName() + " failed: " + Log.describe(e));
            } catch (Throwable ignored) {
                // memory is too short even for the line: the agent's check still reports the death
            }
        }
    }

    /** The loop of {@link #startPeriodic}. */
    private static final class Periodic implements Runnable {
        private final String purpose;
        private final long periodMs;
        private final Runnable task;
        private String lastProblem;

        Periodic(String purpose, long periodMs, Runnable task) {
            this.purpose = purpose;
            this.periodMs = periodMs;
            this.task = task;
        }

        @Override
        public void run() {
            while (!Thread.currentThread().isInterrupted()) {
                long pauseMs = periodMs;
                try {
                    task.run();
                    lastProblem = null;
                } catch (Throwable e) { // OutOfMemoryError included: the check must outlive it
                    pauseMs = Math.max(periodMs, BACKOFF_MS);
                    report(e);
                }
                tick();
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void report(Throwable e) {
            try {
                String problem = Log.describe(e);
                if (!problem.equals(lastProblem)) {
                    Log.warn(purpose + ": " + problem);
                }
                lastProblem = problem;
            } catch (Throwable ignored) {
                // no memory even for the line: try again next time
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
