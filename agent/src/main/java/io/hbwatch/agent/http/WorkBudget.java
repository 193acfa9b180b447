package io.hbwatch.agent.http;

import io.hbwatch.agent.util.Log;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * How much work Jolokia may do for its clients, summed over its workers, measured as the bytes its
 * workers allocate (HotSpot's per-thread allocation counter): a token bucket that refills at
 * {@code bytesPerSecond} and holds one second of it. Reading every {@code java.lang} MBean
 * allocates about 1.4 MB; 64 of them in one bulk request, looped, made the JVM's collector grow
 * the young generation to 250 MB of touched heap. While the bucket is empty, a request that has
 * already allocated {@link #SMALL_BYTES} of its own is stopped; the small ones (the monitor's
 * poll, a dashboard's read) always pass, so that a heavy client cannot lock them out.
 *
 * <p>Where the JVM does not count allocations per thread, there is no budget. Thread-safe.
 */
final class WorkBudget {
    /** What one request may allocate whatever the bucket holds: far above the monitor's poll. */
    static final long SMALL_BYTES = 1024 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS = counter();

    private final long bytesPerSecond;
    private long tokens;
    private long lastNanos = System.nanoTime();

    WorkBudget(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
    }

    /** Bytes allocated by the calling thread so far, or -1 where the JVM does not count them. */
    static long allocated() {
        if (THREADS == null) {
            return -1;
        }
        try {
            return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Whether the bucket is empty: heavy requests must wait. */
    synchronized boolean overdrawn() {
        refill();
        return tokens < 0;
    }

    /** Takes {@code bytes} of allocation from the bucket. */
    synchronized void charge(long bytes) {
        refill();
        tokens -= bytes;
    }

    private void refill() {
        long now = System.nanoTime();
        long elapsed = now - lastNanos;
        lastNanos = now;
        // Double arithmetic: a long idle time must not overflow.
        double added = bytesPerSecond * (elapsed / 1e9);
        tokens = (long) Math.min(bytesPerSecond, tokens + added);
    }

    private static com.sun.management.ThreadMXBean counter() {
        try {
            ThreadMXBean t = ManagementFactory.getThreadMXBean();
            if (t instanceof com.sun.management.ThreadMXBean) {
                com.sun.management.ThreadMXBean c = (com.sun.management.ThreadMXBean) t;
                if (c.isThreadAllocatedMemorySupported() && c.isThreadAllocatedMemoryEnabled()) {
                    return c;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            Log.debug("jolokia: no allocation counter, so no work budget: " + Log.describe(e));
        }
        return null;
    }
}
