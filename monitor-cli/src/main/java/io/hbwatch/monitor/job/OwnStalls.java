package io.hbwatch.monitor.job;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The monitor's own stalls: times when it was not running (SIGSTOP, a long pause of its own JVM, an
 * overloaded host), measured as Cassandra's failure detector and jHiccup do, by a thread ({@code
 * monitor-stall}) that asks to wake every {@value #PERIOD_MS} ms and measures how late it wakes.
 *
 * <p>A silence, a missed echo or a timed-out poll that overlaps a stall of the monitor's own says
 * nothing about the target: the jobs ask {@link #overlaps} and check again after the stall before
 * they report DOWN. The question is answered right even before the sampler has woken from the stall
 * itself: a sampler overdue by more than {@link #THRESHOLD_NANOS} is a stall going on now. A stall
 * counts as lasting {@link #SETTLE_NANOS} past its end, while the monitor catches up.
 *
 * <p>Thread-safe.
 */
public final class OwnStalls implements AutoCloseable {
    /** How often the sampler asks to wake. */
    static final long PERIOD_MS = 100;
    /** Lateness from which a wake-up is a stall: far above scheduling noise, far below a timeout. */
    public static final long THRESHOLD_NANOS = 250_000_000L;
    /**
     * How long after a stall the monitor is still catching up (queued beats, every job's check due
     * at once, its own collector): a check in that time that misses its answer is not trusted
     * either. Two stall thresholds: a 200 ms echo timeout right after a 5 s SIGSTOP is otherwise
     * missed now and then on a loaded host.
     */
    static final long SETTLE_NANOS = 2 * THRESHOLD_NANOS;

    private static final long PERIOD_NANOS = PERIOD_MS * 1_000_000L;
    private static final int KEPT = 16;

    /** A monitor that never stalls: for tests and for jobs run outside a {@link JobRunner}. */
    public static final OwnStalls NONE = new OwnStalls();

    private final long[] starts = new long[KEPT];
    private final long[] ends = new long[KEPT];
    private int next;
    private int size;
    private volatile long lastWakeNanos;
    private final Thread thread;
    private volatile boolean closed;

    private OwnStalls() {
        this.thread = null;
    }

    private OwnStalls(LongConsumer onStall) {
        lastWakeNanos = System.nanoTime();
        thread = new Thread(() -> sample(onStall), "monitor-stall");
        thread.setDaemon(true);
    }

    /**
     * Starts the sampler.
     *
     * @param onStall receives the length in nanoseconds of each stall once it is over (a line on
     *     stderr, a metric); called on the sampler's thread
     */
    public static OwnStalls start(LongConsumer onStall) {
        OwnStalls s = new OwnStalls(onStall);
        s.thread.start();
        return s;
    }

    private void sample(LongConsumer onStall) {
        while (!closed) {
            long before = System.nanoTime();
            lastWakeNanos = before;
            LockSupport.parkNanos(PERIOD_NANOS);
            long after = System.nanoTime();
            long late = after - before - PERIOD_NANOS;
            if (late >= THRESHOLD_NANOS) {
                record(before + PERIOD_NANOS, after);
                onStall.accept(late);
            }
        }
    }

    /**
     * Records a stall from {@code startNanos} to {@code endNanos}, and the catching up after it;
     * public for tests of the jobs.
     */
    public synchronized void record(long startNanos, long endNanos) {
        starts[next] = startNanos;
        ends[next] = endNanos + SETTLE_NANOS;
        next = (next + 1) % KEPT;
        size = Math.min(size + 1, KEPT);
    }

    /**
     * The end of the latest stall of the monitor that overlaps {@code [fromNanos, nowNanos]}, or
     * {@code nowNanos} when one is going on (the sampler is overdue), or {@link Long#MIN_VALUE} when
     * none does. Times are {@link System#nanoTime()} readings.
     */
    public long overlaps(long fromNanos, long nowNanos) {
        if (thread != null && nowNanos - lastWakeNanos - PERIOD_NANOS >= THRESHOLD_NANOS) {
            return nowNanos;
        }
        long end = Long.MIN_VALUE;
        synchronized (this) {
            for (int i = 0; i < size; i++) {
                if (ends[i] - fromNanos > 0
                        && starts[i] - nowNanos < 0
                        && (end == Long.MIN_VALUE || ends[i] - end > 0)) {
                    end = ends[i];
                }
            }
        }
        return end;
    }

    @Override
    public void close() {
        closed = true;
    }
}
