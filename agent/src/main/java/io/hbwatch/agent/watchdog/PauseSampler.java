package io.hbwatch.agent.watchdog;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The longest time the JVM stopped running threads, from two sources. Garbage collection pauses
 * come exactly, as they end, from the collectors' notifications ({@link GcPauses}). Everything
 * else that stops application threads (a safepoint for something other than GC, SIGSTOP, a
 * starved host) is measured as jHiccup does: thread {@code hbwatch-pause} asks to wake every
 * {@code pauseResolution} (200 ms by default) and measures how late it wakes. It runs on its own
 * thread, never the beat thread, whose own sleep would hide a pause that ends between two beats.
 *
 * <p>The longest pause is kept per window of one beat interval; a beat reports the longest pause of
 * the current and the previous window ({@code pauseMaxMs}), so a pause that ends just after a beat
 * is still in the next one, and the longest since start ({@code pauseMaxTotalMs}). A pause of at
 * least {@code pauseWarn} makes the beat DEGRADED, reason {@code pause}, while it is in that
 * window, and in any case until one beat has carried it: a beat thread that itself wakes late
 * after the pause cannot miss it.
 *
 * <p>A pause the sampler sees is measured from the wake-up it asked for, so it is under-counted by
 * up to one resolution: at 200 ms, a SIGSTOP of 1 s reads between 800 and 1000 ms (a GC pause
 * reads exact, to the millisecond). jHiccup wakes every millisecond because it draws latency
 * histograms; a liveness watchdog whose warning starts at {@code pauseWarn} (1 s) needs no finer
 * grain, and every wake-up is CPU taken from the host: 20 to 100 µs on the machines measured, so
 * about 0.45% of a core at 5 ms and 0.04% at 200 ms (docs/BENCHMARKS.md).
 *
 * <p>Thread-safe: the sampler thread and the GC notifications write, the beat thread and JMX read,
 * under one uncontended lock taken only when a figure changes or is read.
 */
public final class PauseSampler implements Health.Check, Health.Contributor, Health.CatchUp {
    /** How much longer than a collection a pause the sampler saw may be and still be that collection. */
    private static final long GC_SLACK_NANOS = 100_000_000L;

    private final long resolutionNanos;
    private final long windowNanos;
    private final long warnNanos;

    private long currentSlot = Long.MIN_VALUE;
    private long currentMaxNanos;
    private long previousSlot = Long.MIN_VALUE;
    private long previousMaxNanos;
    /** The same two windows' longest pauses that no collection explains (SIGSTOP, a safepoint, a starved host). */
    private long currentSeenMaxNanos;

    private long previousSeenMaxNanos;
    private long totalMaxNanos;
    /** A pause past the warning not yet written in a beat: kept until one carries it. */
    private long unreportedNanos;

    /** The finding for the pause last shown ({@link #findingMs}), so that beats repeating it allocate nothing. */
    private Finding finding;

    private long findingMs;

    /**
     * When the sampler's current sleep began, 0 while it is awake. Whoever measures that sleep (the
     * sampler as it wakes, or the beat thread catching up) claims it by setting this to 0 first.
     */
    private final AtomicLong parkedAtNanos = new AtomicLong();
    /** The collectors' stop-the-world time when that sleep began; published by {@link #parkedAtNanos}. */
    private long parkedGcNanos;
    /** The collectors' clock, once the sampler has made it. */
    private volatile CollectorTime gcClock;

    /**
     * @param windowMs the beat interval, in milliseconds
     * @param warnMs pauses at least this long are findings; 0 for never
     * @param resolutionMs how often the sampler asks to wake, in milliseconds (at least 1)
     */
    public PauseSampler(long windowMs, long warnMs, long resolutionMs) {
        this.resolutionNanos = Math.max(1, resolutionMs) * 1_000_000L;
        this.windowNanos = Math.max(1, windowMs) * 1_000_000L;
        this.warnNanos = warnMs <= 0 ? Long.MAX_VALUE : warnMs * 1_000_000L;
    }

    /** The sampling loop; returns when its thread is interrupted. */
    void run() {
        CollectorTime gc = new CollectorTime();
        gcClock = gc;
        while (!Thread.currentThread().isInterrupted()) {
            sample(gc);
        }
    }

    /**
     * One sleep and the pause it shows. A method of its own, not the loop's body: the JIT compiles a
     * method after a few hundred calls, but a loop's body only by on-stack replacement, after tens
     * of thousands of turns, which at five turns a second is hours of interpreting every sample.
     */
    private void sample(CollectorTime gc) {
        long gcBefore = gc.nanos();
        long before = System.nanoTime();
        parkedGcNanos = gcBefore;
        parkedAtNanos.set(before);
        LockSupport.parkNanos(resolutionNanos);
        long after = System.nanoTime();
        long late = after - before - resolutionNanos;
        boolean mine = parkedAtNanos.compareAndSet(before, 0); // else the beat thread caught it up
        // Every wake-up is a little late (timer slack, scheduling: tens of microseconds);
        // figures are whole milliseconds, so only lateness that can show is worth the lock.
        if (mine && late >= 1_000_000L && !explainedByGc(late, gc.nanos() - gcBefore, resolutionNanos)) {
            record(late, after);
        }
        HbThreads.tick();
    }

    /**
     * On the beat thread, before a beat is built: when the sampler has been asleep for longer than a
     * pause worth a finding, every thread was held up (SIGSTOP, a safepoint, a collection) and the
     * sampler has not woken yet to say so. This measures that pause now, as the sampler would, so the
     * first beat after it already names it and no beat says UP before a DEGRADED {@code pause} that
     * follows 200 ms later. A pause that a collection explains is not one ({@link GcLoad#beforeBeat}
     * names it). Costs one volatile read when there is nothing to catch up.
     */
    @Override
    public void beforeBeat(long nowNanos) {
        long parkedAt = parkedAtNanos.get();
        if (parkedAt == 0 || nowNanos - parkedAt - resolutionNanos < warnNanos) {
            return;
        }
        long gcBefore = parkedGcNanos; // written before parkedAt, so read after it is current
        long late = nowNanos - parkedAt - resolutionNanos;
        CollectorTime gc = gcClock;
        if (gc != null && explainedByGc(late, gc.nanos() - gcBefore, resolutionNanos)) {
            return;
        }
        if (parkedAtNanos.compareAndSet(parkedAt, 0)) {
            record(late, nowNanos);
        }
    }

    /**
     * Whether the sampler's lateness is the collections' doing: they stopped the JVM for {@code
     * gcNanos} while it slept. The sampler under-counts by up to one resolution and wakes a little
     * late, so lateness up to that much (and {@link #GC_SLACK_NANOS}) more is still theirs; a stop
     * much longer than the collections (a SIGSTOP during a young collection) is not.
     */
    static boolean explainedByGc(long lateNanos, long gcNanos, long resolutionNanos) {
        return gcNanos > 0 && lateNanos <= gcNanos + resolutionNanos + GC_SLACK_NANOS;
    }

    /**
     * Records a pause of {@code pauseNanos} that ended at {@code atNanos} ({@link
     * System#nanoTime()}) and that no collection explains: it is reported as {@code pause}.
     */
    public synchronized void record(long pauseNanos, long atNanos) {
        roll(Math.floorDiv(atNanos, windowNanos));
        currentMaxNanos = Math.max(currentMaxNanos, pauseNanos);
        currentSeenMaxNanos = Math.max(currentSeenMaxNanos, pauseNanos);
        totalMaxNanos = Math.max(totalMaxNanos, pauseNanos);
        if (pauseNanos >= warnNanos) {
            unreportedNanos = Math.max(unreportedNanos, pauseNanos);
        }
    }

    /**
     * Records a garbage collection's pause of {@code pauseNanos} that ended at {@code atNanos}: in
     * the figures ({@code pauseMaxMs}), not as a finding. {@link GcLoad} names long ones as {@code gc}.
     */
    public synchronized void recordGc(long pauseNanos, long atNanos) {
        roll(Math.floorDiv(atNanos, windowNanos));
        currentMaxNanos = Math.max(currentMaxNanos, pauseNanos);
        totalMaxNanos = Math.max(totalMaxNanos, pauseNanos);
    }

    private void roll(long slot) {
        if (slot == currentSlot) {
            return;
        }
        previousSlot = currentSlot;
        previousMaxNanos = currentMaxNanos;
        previousSeenMaxNanos = currentSeenMaxNanos;
        currentSlot = slot;
        currentMaxNanos = 0;
        currentSeenMaxNanos = 0;
    }

    /** Longest pause no collection explains in the window of {@code atNanos} and the one before. */
    private long seenMaxNanos(long atNanos) {
        return recent(atNanos, currentSeenMaxNanos, previousSeenMaxNanos);
    }

    /** Longest pause in the window of {@code atNanos} and the one before, in nanoseconds. */
    synchronized long windowMaxNanos(long atNanos) {
        return recent(atNanos, currentMaxNanos, previousMaxNanos);
    }

    /** The larger of a figure's current and previous window, of those that are recent at {@code atNanos}. */
    private long recent(long atNanos, long current, long previous) {
        long slot = Math.floorDiv(atNanos, windowNanos);
        long max = 0;
        if (currentSlot == slot || currentSlot == slot - 1) {
            max = current;
        }
        if (previousSlot == slot || previousSlot == slot - 1) {
            max = Math.max(max, previous);
        }
        return max;
    }

    /** Longest pause in the last window or so, in milliseconds. */
    public long windowMaxMs() {
        return windowMaxNanos(System.nanoTime()) / 1_000_000L;
    }

    /** Longest pause since the sampler started, in milliseconds. */
    public synchronized long totalMaxMs() {
        return totalMaxNanos / 1_000_000L;
    }

    /** What a beat now shows: the window's longest pause, or a longer one no beat has carried yet. */
    private synchronized long shownNanos() {
        return Math.max(windowMaxNanos(System.nanoTime()), unreportedNanos);
    }

    @Override
    public synchronized Finding current() {
        long pause = Math.max(seenMaxNanos(System.nanoTime()), unreportedNanos);
        if (pause < warnNanos) {
            return null;
        }
        long ms = pause / 1_000_000L;
        // Allocates only when the pause shown changes, not once per beat while it is shown.
        if (finding == null || findingMs != ms) {
            finding = new Finding(
                    Status.DEGRADED,
                    Reason.PAUSE,
                    "the JVM paused " + Words.seconds(ms) + " (threads were not scheduled)");
            findingMs = ms;
        }
        return finding;
    }

    /** Writes the figures; the beat that carries a pause past the warning is the one that reports it. */
    @Override
    public void writeTo(JsonLine beat) {
        long shown;
        long total;
        synchronized (this) {
            shown = shownNanos();
            total = totalMaxNanos;
            unreportedNanos = 0;
        }
        beat.field(io.hbwatch.protocol.Protocol.F_PAUSE_MAX_MS, shown / 1_000_000L);
        beat.field(io.hbwatch.protocol.Protocol.F_PAUSE_MAX_TOTAL_MS, total / 1_000_000L);
    }

    /**
     * The stop-the-world time of every collector so far, which the JVM updates as each collection
     * ends, before the application's threads run again: read around each sleep, it tells the
     * sampler exactly whether a collection stopped it, with no race against the notifications.
     * Concurrent collectors' time is left out. Sampler thread only.
     */
    private static final class CollectorTime {
        private final java.lang.management.GarbageCollectorMXBean[] beans;

        CollectorTime() {
            beans = GcLoad.stopTheWorldCollectors();
        }

        long nanos() {
            long ms = 0;
            for (java.lang.management.GarbageCollectorMXBean b : beans) {
                long t = b.getCollectionTime();
                if (t > 0) {
                    ms += t;
                }
            }
            return ms * 1_000_000L;
        }
    }
}
