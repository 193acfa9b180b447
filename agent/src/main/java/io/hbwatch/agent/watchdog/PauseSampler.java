package io.hbwatch.agent.watchdog;

import io.hbwatch.agent.beat.BeatServer;
import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.lang.management.GarbageCollectorMXBean;

/**
 * The longest time the JVM stopped running threads, from two sources. Garbage collection pauses
 * come exactly, as they end, from the collectors' notifications ({@link GcPauses}). Everything
 * else that stops application threads (a safepoint for something other than GC, SIGSTOP, a
 * starved host) is measured as jHiccup does, by how late a sleeping thread wakes; the thread is
 * the beat thread itself ({@link BeatServer.Lateness}), which asks to wake at least every {@code
 * pauseResolution} and at every beat, so measuring pauses costs no thread and, at the default
 * resolution of one beat interval, no wake-up of its own.
 *
 * <p>The longest pause is kept per window of one beat interval; a beat reports the longest pause of
 * the current and the previous window ({@code pauseMaxMs}), so a pause that ends just after a beat
 * is still in the next one, and the longest since start ({@code pauseMaxTotalMs}). A pause of at
 * least {@code pauseWarn} makes the beat DEGRADED, reason {@code pause}, while it is in that
 * window, and in any case until one beat has carried it. The beat thread measures its lateness
 * before it builds the beat that follows, so the first beat after a pause already names it.
 *
 * <p>A pause is measured from the wake-up the thread asked for, so it is under-counted by up to
 * one resolution: at the default (one interval, 1 s), a SIGSTOP of 2.5 s reads between 1.5 and 2.5
 * s, and one of 1.5 s between 0.5 and 1.5 s; a pause shorter than the resolution may fall between
 * two wake-ups and not be seen at all. A GC pause reads exact, to the millisecond. {@code
 * pauseResolution=200ms} buys the finer grain of earlier versions for four more wake-ups a second:
 * each is CPU taken from the host, 30 to 100 µs on the machines measured (docs/BENCHMARKS.md).
 *
 * <p>Thread-safe: the beat thread and the GC notifications write, the beat thread and JMX read,
 * under one uncontended lock taken only when a figure changes or is read.
 */
public final class PauseSampler implements Health.Check, Health.Contributor, BeatServer.Lateness {
    /** How much longer than the collections in a wait its lateness may be and still be theirs. */
    private static final long GC_SLACK_NANOS = 100_000_000L;

    /** The collectors' accumulated stop-the-world time, in nanoseconds. */
    interface GcClock {
        long nanos();
    }

    private final long resolutionMs;
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

    /** The collectors' clock, made on the beat thread's first wake-up; beat thread only. */
    private GcClock gcClock;
    /** Its reading at the last wake-up; beat thread only. */
    private long gcAtLastWake;

    /**
     * @param windowMs the beat interval, in milliseconds
     * @param warnMs pauses at least this long are findings; 0 for never
     * @param resolutionMs how often the beat thread asks to wake at least, in milliseconds (at least 1)
     */
    public PauseSampler(long windowMs, long warnMs, long resolutionMs) {
        this(windowMs, warnMs, resolutionMs, null);
    }

    PauseSampler(long windowMs, long warnMs, long resolutionMs, GcClock gcClock) {
        this.resolutionMs = Math.max(1, resolutionMs);
        this.windowNanos = Math.max(1, windowMs) * 1_000_000L;
        this.warnNanos = warnMs <= 0 ? Long.MAX_VALUE : warnMs * 1_000_000L;
        this.gcClock = gcClock;
        if (gcClock != null) {
            gcAtLastWake = gcClock.nanos();
        }
    }

    /** How often the beat thread should wake at least, in milliseconds. */
    @Override
    public long resolutionMs() {
        return resolutionMs;
    }

    /**
     * On the beat thread after every wait: lateness past a millisecond that the collections in the
     * wait do not explain is a pause. The collectors' time is read at every wake-up, so that what a
     * wait is compared with is what happened in it.
     */
    @Override
    public void woke(long lateNanos, long nowNanos) {
        GcClock gc = gcClock;
        if (gc == null) {
            gc = new CollectorTime();
            gcClock = gc;
            gcAtLastWake = gc.nanos();
            return; // nothing to compare with yet
        }
        long gcNow = gc.nanos();
        long gcInWait = gcNow - gcAtLastWake;
        gcAtLastWake = gcNow;
        // Every wake-up is a little late (timer slack, scheduling: tens of microseconds);
        // figures are whole milliseconds, so only lateness that can show is worth the lock.
        if (lateNanos >= 1_000_000L && !explainedByGc(lateNanos, gcInWait)) {
            record(lateNanos, nowNanos);
        }
    }

    /**
     * Whether lateness is the collections' doing: they stopped the JVM for {@code gcNanos} while the
     * thread slept. The collectors count whole milliseconds and not the time to reach the safepoint,
     * so lateness up to {@link #GC_SLACK_NANOS} more is still theirs; a stop much longer than the
     * collections (a SIGSTOP during a young collection) is not.
     */
    static boolean explainedByGc(long lateNanos, long gcNanos) {
        return gcNanos > 0 && lateNanos <= gcNanos + GC_SLACK_NANOS;
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
        beat.field(Protocol.F_PAUSE_MAX_MS, shown / 1_000_000L);
        beat.field(Protocol.F_PAUSE_MAX_TOTAL_MS, total / 1_000_000L);
    }

    /**
     * The stop-the-world time of every collector so far, which the JVM updates as each collection
     * ends, before the application's threads run again: read at each wake-up, it tells exactly whether a collection stopped it, with no race against the notifications.
     * Concurrent collectors' time is left out. Beat thread only.
     */
    private static final class CollectorTime implements GcClock {
        private final GarbageCollectorMXBean[] beans;

        CollectorTime() {
            beans = GcLoad.stopTheWorldCollectors();
        }

        @Override
        public long nanos() {
            long ms = 0;
            for (GarbageCollectorMXBean b : beans) {
                long t = b.getCollectionTime();
                if (t > 0) {
                    ms += t;
                }
            }
            return ms * 1_000_000L;
        }
    }
}
