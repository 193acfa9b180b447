package io.hbwatch.agent.watchdog;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
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
public final class PauseSampler implements Health.Check, Health.Contributor {
    private final long resolutionNanos;
    private final long windowNanos;
    private final long warnNanos;

    private long currentSlot = Long.MIN_VALUE;
    private long currentMaxNanos;
    private long previousSlot = Long.MIN_VALUE;
    private long previousMaxNanos;
    private long totalMaxNanos;
    /** A pause past the warning not yet written in a beat: kept until one carries it. */
    private long unreportedNanos;
    /** The finding for the pause last shown ({@link #findingMs}), so that beats repeating it allocate nothing. */
    private Finding finding;

    private long findingMs;

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
        while (!Thread.currentThread().isInterrupted()) {
            long before = System.nanoTime();
            LockSupport.parkNanos(resolutionNanos);
            long after = System.nanoTime();
            long late = after - before - resolutionNanos;
            // Every wake-up is a little late (timer slack, scheduling: tens of microseconds);
            // figures are whole milliseconds, so only lateness that can show is worth the lock.
            if (late >= 1_000_000L) {
                record(late, after);
            }
        }
    }

    /** Records a pause of {@code pauseNanos} that ended at {@code atNanos} ({@link System#nanoTime()}). */
    public synchronized void record(long pauseNanos, long atNanos) {
        roll(Math.floorDiv(atNanos, windowNanos));
        currentMaxNanos = Math.max(currentMaxNanos, pauseNanos);
        totalMaxNanos = Math.max(totalMaxNanos, pauseNanos);
        if (pauseNanos >= warnNanos) {
            unreportedNanos = Math.max(unreportedNanos, pauseNanos);
        }
    }

    private void roll(long slot) {
        if (slot == currentSlot) {
            return;
        }
        previousSlot = currentSlot;
        previousMaxNanos = currentMaxNanos;
        currentSlot = slot;
        currentMaxNanos = 0;
    }

    /** Longest pause in the window of {@code atNanos} and the one before, in nanoseconds. */
    synchronized long windowMaxNanos(long atNanos) {
        long slot = Math.floorDiv(atNanos, windowNanos);
        long max = 0;
        if (currentSlot == slot || currentSlot == slot - 1) {
            max = currentMaxNanos;
        }
        if (previousSlot == slot || previousSlot == slot - 1) {
            max = Math.max(max, previousMaxNanos);
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
        long pause = shownNanos();
        if (pause < warnNanos) {
            return null;
        }
        long ms = pause / 1_000_000L;
        // Allocates only when the pause shown changes, not once per beat while it is shown.
        if (finding == null || findingMs != ms) {
            finding = new Finding(
                    Status.DEGRADED,
                    Reason.PAUSE,
                    "the JVM paused " + ThreadDumps.seconds(ms) + " (threads were not scheduled)");
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
}
