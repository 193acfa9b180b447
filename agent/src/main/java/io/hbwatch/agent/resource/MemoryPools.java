package io.hbwatch.agent.resource;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory that stays full (reason {@code heap}): a pool at least {@code heapWarn} (90%) of its
 * maximum, naming the pool and the figures.
 *
 * <ul>
 *   <li><b>The old generation</b> (and a one-pool heap: ZGC, Shenandoah) as the last collection
 *       of that pool left it: {@link MemoryPoolMXBean#getCollectionUsage()}, the figure behind the
 *       JDK's collection-usage thresholds, read as each collection ends (no polling). It changes
 *       only when a collection covers the pool (a mixed or full collection for G1, a full one for
 *       Parallel and Serial), so a young generation filling up between collections is no finding.
 *       The agent sets no threshold of its own: an application's thresholds stay as they are.
 *   <li><b>Metaspace and the compressed class space</b>, when they have a maximum ({@code
 *       -XX:MaxMetaspaceSize}; the class space always has one), as each collection ends.
 *   <li><b>Direct buffers</b> ({@link BufferPoolMXBean} {@code direct}) against {@code
 *       -XX:MaxDirectMemorySize} (by default the heap's maximum), by the watchdog's periodic check:
 *       the JVM sends no notification for them. Mapped buffers have no limit and are not judged.
 * </ul>
 *
 * <p>Thread-safe: the JDK's notification thread and the periodic check write the published
 * finding; the beat thread only reads it.
 */
public final class MemoryPools implements Health.Check {
    private final int warnPercent;
    private final List<MemoryPoolMXBean> collected = new ArrayList<>();
    private final List<MemoryPoolMXBean> bounded = new ArrayList<>();
    private final BufferPoolMXBean direct;
    private final long directMax;

    /** The fullest pool of each kind as last seen: percent, or -1 when none is known. */
    private volatile int heapPercent = -1;

    private volatile int classPercent = -1;
    private volatile int bufferPercent = -1;
    private volatile Finding finding;
    private volatile boolean majorCollection;

    /** @param warnPercent a pool at least this full is a finding; 0 for never (the figures still are kept) */
    public MemoryPools(int warnPercent) {
        this.warnPercent = warnPercent;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName().toLowerCase(Locale.ROOT);
            if (pool.getType() == MemoryType.HEAP) {
                if (pool.isCollectionUsageThresholdSupported()
                        && !name.contains("eden")
                        && !name.contains("survivor")
                        && !name.contains("nursery")) {
                    collected.add(pool);
                }
            } else if (name.contains("metaspace") || name.contains("class space")) {
                bounded.add(pool);
            }
        }
        BufferPoolMXBean found = null;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(pool.getName())) {
                found = pool;
            }
        }
        direct = found;
        directMax = maxDirectMemory();
    }

    /**
     * After every collection, on the JDK's notification thread: the heap and class pools, and
     * whether the collection was of the old generation or the whole heap, which is what the JVM
     * runs last before it throws an {@code OutOfMemoryError}.
     */
    public void afterCollection(String collector, String cause) {
        if (isMajor(collector, cause)) {
            majorCollection = true;
        }
        int heap = -1;
        for (MemoryPoolMXBean pool : collected) {
            MemoryUsage u = pool.getCollectionUsage();
            heap = Math.max(heap, percent(u == null ? 0 : u.getUsed(), max(pool)));
        }
        heapPercent = heap;
        int cls = -1;
        for (MemoryPoolMXBean pool : bounded) {
            MemoryUsage u = pool.getUsage();
            cls = Math.max(cls, percent(u == null ? 0 : u.getUsed(), u == null ? -1 : u.getMax()));
        }
        classPercent = cls;
        publish();
    }

    /** The watchdog's periodic check: direct buffers, which send no notification. */
    public void check() {
        if (direct != null && directMax > 0) {
            bufferPercent = percent(direct.getMemoryUsed(), directMax);
        }
        publish();
    }

    /** Whether a collection of the old generation or the whole heap ended since the last call; clears it. */
    public boolean takeMajorCollection() {
        boolean seen = majorCollection;
        majorCollection = false;
        return seen;
    }

    /**
     * A collector of the old generation or the whole heap (Serial's MarkSweepCompact, Parallel's PS
     * MarkSweep, G1's Old Generation, ZGC's Major collections), or a collection the JVM makes as a
     * last resort for memory.
     */
    static boolean isMajor(String collector, String cause) {
        return collector.contains("Old")
                || collector.contains("MarkSweep")
                || collector.contains("Major")
                || collector.contains("Full")
                || cause.contains("Last ditch")
                || cause.contains("Clear Soft References");
    }

    /** The fullest pool's share of its maximum, in percent, as last seen; 0 when none is known. */
    public int fullestPercent() {
        return Math.max(0, Math.max(heapPercent, Math.max(classPercent, bufferPercent)));
    }

    /**
     * Publishes the finding. Allocates nothing while every pool is under the warning: the words are
     * built, from the pools themselves, only for a pool at or past it (and once per new figure).
     */
    private synchronized void publish() {
        if (warnPercent <= 0 || fullestPercent() < warnPercent) {
            finding = null;
            return;
        }
        String detail = null;
        int best = -1;
        for (MemoryPoolMXBean pool : collected) {
            MemoryUsage u = pool.getCollectionUsage();
            long used = u == null ? 0 : u.getUsed();
            int p = percent(used, max(pool));
            if (p > best) {
                best = p;
                detail = words(pool.getName(), p, used, max(pool), "after collection");
            }
        }
        for (MemoryPoolMXBean pool : bounded) {
            MemoryUsage u = pool.getUsage();
            if (u != null && percent(u.getUsed(), u.getMax()) > best) {
                best = percent(u.getUsed(), u.getMax());
                detail = words(pool.getName(), best, u.getUsed(), u.getMax(), "in use");
            }
        }
        if (direct != null && directMax > 0 && percent(direct.getMemoryUsed(), directMax) > best) {
            best = percent(direct.getMemoryUsed(), directMax);
            detail = words("direct buffer memory", best, direct.getMemoryUsed(), directMax, "in use");
        }
        Finding old = finding;
        if (detail != null && best >= warnPercent && (old == null || !detail.equals(old.detail()))) {
            finding = new Finding(Status.DEGRADED, Reason.HEAP, detail);
        } else if (detail == null || best < warnPercent) {
            finding = null;
        }
    }

    private static int percent(long used, long max) {
        return max <= 0 ? -1 : (int) Math.min(100, used * 100 / max);
    }

    private static String words(String pool, int percent, long used, long max, String when) {
        return pool + " is " + percent + "% full " + when + " (" + mib(used) + " of " + mib(max) + ")";
    }

    private static String mib(long bytes) {
        long tenths = Math.round(bytes * 10.0 / (1024 * 1024));
        return tenths / 10 + "." + tenths % 10 + " MiB";
    }

    @Override
    public Finding current() {
        return finding;
    }

    private static long max(MemoryPoolMXBean pool) {
        MemoryUsage u = pool.getUsage();
        long max = u == null ? -1 : u.getMax();
        if (max <= 0) {
            long heapMax = Runtime.getRuntime().maxMemory();
            max = heapMax == Long.MAX_VALUE ? -1 : heapMax; // a one-pool heap may not tell its own
        }
        return max;
    }

    /** {@code -XX:MaxDirectMemorySize}, or the heap's maximum where it is unset (the JDK's default). */
    private static long maxDirectMemory() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hs =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            long set = Long.parseLong(hs.getVMOption("MaxDirectMemorySize").getValue());
            if (set > 0) {
                return set;
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot: the JDK's default below
        }
        long heapMax = Runtime.getRuntime().maxMemory();
        return heapMax == Long.MAX_VALUE ? -1 : heapMax;
    }
}
