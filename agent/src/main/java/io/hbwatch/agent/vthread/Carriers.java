package io.hbwatch.agent.vthread;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;

/**
 * A starved virtual-thread scheduler (reason {@code carriers}): every carrier thread has a virtual
 * thread mounted (busy, or pinned: in a class initializer, in native code, in {@code
 * synchronized} before Java 24) while virtual threads wait in the queue to run, without a break
 * for {@code carriersWarn} (2 s) or longer.
 *
 * <p>Read from {@code jdk.management.VirtualThreadSchedulerMXBean}, which Java 24 and later have;
 * through reflection, so that the agent still runs on Java 11. On Java 21 to 23 there is no such
 * bean and nothing is reported. Sampled by the watchdog's periodic check, so a starvation shorter
 * than {@code resourceCheck} can be missed, and one is seen up to one check late.
 *
 * <p>Thread-safe: one thread checks; the beat thread reads a volatile field.
 */
public final class Carriers implements Health.Check {
    private final long warnNanos;
    private final Object bean;
    private final Method parallelism;
    private final Method mounted;
    private final Method queued;
    private long starvedSinceNanos;
    private volatile Finding finding;

    private Carriers(long warnMs, Object bean, Method parallelism, Method mounted, Method queued) {
        this.warnNanos = warnMs * 1_000_000L;
        this.bean = bean;
        this.parallelism = parallelism;
        this.mounted = mounted;
        this.queued = queued;
    }

    /** The check, or null on a JVM without the scheduler's MBean (before Java 24) or with {@code carriersWarn=off}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Carriers start(long warnMs) {
        if (warnMs <= 0) {
            return null;
        }
        try {
            Class<?> type = Class.forName("jdk.management.VirtualThreadSchedulerMXBean");
            Object bean = ManagementFactory.getPlatformMXBean((Class) type.asSubclass(PlatformManagedObject.class));
            return new Carriers(
                    warnMs,
                    bean,
                    type.getMethod("getParallelism"),
                    type.getMethod("getMountedVirtualThreadCount"),
                    type.getMethod("getQueuedVirtualThreadCount"));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** One sample of the scheduler. */
    public void check() {
        int p;
        int m;
        long q;
        try {
            p = ((Number) parallelism.invoke(bean)).intValue();
            m = ((Number) mounted.invoke(bean)).intValue();
            q = ((Number) queued.invoke(bean)).longValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return;
        }
        long now = System.nanoTime();
        if (p <= 0 || m < p || q <= 0) {
            starvedSinceNanos = 0;
            finding = null;
            return;
        }
        if (starvedSinceNanos == 0) {
            starvedSinceNanos = now;
        }
        long starved = now - starvedSinceNanos;
        if (starved >= warnNanos) {
            finding = new Finding(
                    Status.DEGRADED,
                    Reason.CARRIERS,
                    "every carrier thread is taken (" + m + " of " + p + ") while " + q
                            + " virtual threads wait to run, for " + Words.seconds(starved / 1_000_000L));
        }
    }

    @Override
    public Finding current() {
        return finding;
    }
}
