package io.hbwatch.agent.watchdog;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The garbage collector as a cause (reason {@code gc}), from the stop-the-world collections that
 * {@link GcPauses} hands on as they end:
 *
 * <ul>
 *   <li><b>A spiral:</b> the share of wall time spent in stop-the-world collections over the last
 *       {@code gcWindow} (10 s) is at least {@code gcWarn} (30%). Measured here, a JVM in a GC death
 *       spiral spends 38 to 94% of its time stopped for collections (least with G1 on Java 17,
 *       whose marking runs alongside); a healthy one with busy young collections 3 to 8%.
 *   <li><b>A long collection:</b> one collection of at least {@code pauseWarn} (1 s), named with
 *       its collector, cause and duration. It is shown while it lies in the current or the previous
 *       beat interval, and in any case until one beat has carried it, as pauses are.
 * </ul>
 *
 * <p>The share counts each collection by its duration, the part of it inside the window. It is
 * recomputed when a collection ends (the JDK's notification thread) and by the watchdog's periodic
 * check ({@link #evaluate}), which is what clears it once collections stop; the beat thread only
 * reads the published finding and percentage.
 *
 * <p>Thread-safe: writers take this object's lock; readers read volatile fields.
 */
public final class GcLoad implements Health.Check, Health.Contributor, Health.CatchUp {
    /** Collections remembered: more than a window holds even at one collection per 5 ms over 10 s. */
    private static final int CAPACITY = 2048;

    private final long windowNanos;
    private final int warnPercent;
    private final long longNanos;
    private final long holdNanos;

    private final long[] ends = new long[CAPACITY];
    private final long[] durations = new long[CAPACITY];
    private int next;
    private int size;
    private String lastCollector = "";
    /** Stop-the-world collections recorded, for {@link #beforeBeat}. */
    private long notified;
    /** The collectors' own count less {@link #notified}, when both were last in step; MIN before. */
    private long countOffset = Long.MIN_VALUE;
    /** The stop-the-world collectors, whose counts the JVM updates before the application runs again. */
    private GarbageCollectorMXBean[] stopTheWorld;
    /** When {@link #beforeBeat} last ran. Beat thread only. */
    private long lastBeatNanos;

    private final long lateNanos;

    /** A long collection not yet carried by a beat, or still recent. */
    private Finding longOne;

    private long longOneEndNanos;
    private boolean longOneUnreported;

    private volatile Finding finding;
    private volatile int percent;

    /**
     * @param windowMs the window over which the share is measured, in milliseconds
     * @param warnPercent a share at least this high is a spiral; 0 for never
     * @param longMs a single collection at least this long is named; 0 for never
     * @param intervalMs the beat interval: a long collection is shown for about two of them
     */
    public GcLoad(long windowMs, int warnPercent, long longMs, long intervalMs) {
        this.windowNanos = Math.max(1, windowMs) * 1_000_000L;
        this.warnPercent = warnPercent;
        this.longNanos = longMs <= 0 ? Long.MAX_VALUE : longMs * 1_000_000L;
        this.holdNanos = 2 * Math.max(1, intervalMs) * 1_000_000L;
        this.lateNanos = 3 * Math.max(1, intervalMs) * 1_000_000L / 2;
    }

    /** Records one stop-the-world collection that ended at {@code endNanos} ({@link System#nanoTime()}). */
    public void collected(String collector, String cause, long durationNanos, long endNanos) {
        synchronized (this) {
            ends[next] = endNanos;
            durations[next] = durationNanos;
            next = (next + 1) % CAPACITY;
            size = Math.min(size + 1, CAPACITY);
            lastCollector = collector;
            notified++;
            notifyAll();
            if (durationNanos >= longNanos) {
                longOne = new Finding(
                        Status.DEGRADED,
                        Reason.GC,
                        "a garbage collection stopped the JVM for " + Words.seconds(durationNanos / 1_000_000L) + " ("
                                + collector + ", cause: " + cause + ")");
                longOneEndNanos = endNanos;
                longOneUnreported = true;
            }
        }
        evaluate(endNanos);
    }

    /**
     * On the beat thread, before a beat that leaves late (1.5 intervals after the last): when the
     * collectors count more stop-the-world collections than their notifications have delivered, one
     * that held the beat up is still on its way from the JDK's notification thread, which wakes with
     * the beat thread after the collection. Waits for it (at most {@value #NOTIFICATION_WAIT_MS} ms)
     * so that the beat that ends the silence already names it, instead of an UP and then {@code gc}
     * a moment later. A collector that sends no notification is found so once and then left alone.
     * On a beat on time it costs two subtractions.
     */
    @Override
    public void beforeBeat(long nowNanos) {
        long since = nowNanos - lastBeatNanos;
        lastBeatNanos = nowNanos;
        if (countOffset != Long.MIN_VALUE && since < lateNanos) {
            return;
        }
        if (stopTheWorld == null) {
            stopTheWorld = stopTheWorldCollectors();
        }
        long count = 0;
        for (GarbageCollectorMXBean b : stopTheWorld) {
            count += Math.max(0, b.getCollectionCount());
        }
        synchronized (this) {
            if (countOffset == Long.MIN_VALUE) {
                countOffset = count - notified;
                return;
            }
            long end = nowNanos + NOTIFICATION_WAIT_MS * 1_000_000L;
            try {
                long left;
                while (count - countOffset > notified && (left = end - System.nanoTime()) > 0) {
                    wait(Math.max(1, left / 1_000_000L));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (count - countOffset > notified) {
                // Its notification is later still (a busy machine): name the collection from the
                // collector's own record, without its cause, rather than let the beat leave as UP.
                nameLatestCollection();
            }
            if (count - countOffset != notified) {
                countOffset = count - notified; // a collection that sends no notification: in step again
            }
        }
        evaluate(System.nanoTime());
    }

    /** Records the latest collection of any stop-the-world collector from its {@code LastGcInfo}. */
    private void nameLatestCollection() {
        com.sun.management.GcInfo latest = null;
        String name = null;
        for (GarbageCollectorMXBean b : stopTheWorld) {
            if (b instanceof com.sun.management.GarbageCollectorMXBean) {
                com.sun.management.GcInfo info = ((com.sun.management.GarbageCollectorMXBean) b).getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                    name = b.getName();
                }
            }
        }
        if (latest != null) {
            collected(name, "not yet notified", latest.getDuration() * 1_000_000L, System.nanoTime());
        }
    }

    /** How long a late beat waits for a collection's notification, at most. */
    static final long NOTIFICATION_WAIT_MS = 200;

    /** The collectors that stop the application, as {@link GcPauses} counts them. */
    static GarbageCollectorMXBean[] stopTheWorldCollectors() {
        List<GarbageCollectorMXBean> stw = new ArrayList<>();
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            // "G1 Concurrent GC" (Java 21 and later) counts concurrent cycles; ZGC's and
            // Shenandoah's "Cycles" too.
            if (!GcPauses.isConcurrent(b.getName(), "") && !b.getName().contains("Concurrent")) {
                stw.add(b);
            }
        }
        return stw.toArray(new GarbageCollectorMXBean[0]);
    }

    /** Recomputes the share and the finding; for the watchdog's periodic check and each collection. */
    public void evaluate(long nowNanos) {
        Finding spiral = null;
        Finding shown;
        synchronized (this) {
            long sum = 0;
            long longest = 0;
            int count = 0;
            long start = nowNanos - windowNanos;
            for (int i = 0; i < size; i++) {
                int k = Math.floorMod(next - 1 - i, CAPACITY);
                long end = ends[k];
                if (end - start <= 0) {
                    break; // older ones too: they were recorded in order
                }
                long d = Math.min(durations[k], end - start);
                sum += d;
                longest = Math.max(longest, durations[k]);
                count++;
            }
            int p = (int) Math.min(100, sum * 100 / windowNanos);
            percent = p;
            if (warnPercent > 0 && p >= warnPercent) {
                Finding old = finding;
                String detail = "the JVM spent " + p + "% of the last " + Words.seconds(windowNanos / 1_000_000L)
                        + " in garbage collection (" + count + " collections, the longest "
                        + Words.seconds(longest / 1_000_000L) + ", " + lastCollector + ")";
                spiral = old != null && detail.equals(old.detail())
                        ? old
                        : new Finding(Status.DEGRADED, Reason.GC, detail);
            }
            if (longOne != null && !longOneUnreported && nowNanos - longOneEndNanos > holdNanos) {
                longOne = null;
            }
            shown = spiral != null ? spiral : longOne;
        }
        finding = shown;
    }

    @Override
    public Finding current() {
        return finding;
    }

    /** The share of the last window spent in collections, in percent, as last computed. */
    public int percent() {
        return percent;
    }

    /** Writes {@code gcPercent}; the beat that carries a long collection is the one that reports it. */
    @Override
    public void writeTo(JsonLine beat) {
        beat.field(Protocol.F_GC_PERCENT, percent);
        if (longOneUnreported) {
            synchronized (this) {
                longOneUnreported = false;
            }
        }
    }
}
