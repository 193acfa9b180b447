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
    private final VirtualDeadlocks virtual;
    private boolean looked;
    private Object bean;
    private Method parallelism;
    private Method mounted;
    private Method queued;
    private long starvedSinceNanos;
    private volatile Finding finding;

    private Carriers(long warnMs, VirtualDeadlocks virtual) {
        this.warnNanos = warnMs * 1_000_000L;
        this.virtual = virtual;
    }

    /**
     * The check, or null with {@code carriersWarn=off} or when virtual threads are not looked at
     * ({@code virtual} null: before Java 21, or without the agent's instrumentation). The
     * scheduler's MBean is asked for only once {@code virtual} has seen a virtual thread: asking
     * starts the JDK's virtual-thread machinery, its threads included, in a JVM that may never use it.
     */
    public static Carriers start(long warnMs, VirtualDeadlocks virtual) {
        return warnMs <= 0 || virtual == null ? null : new Carriers(warnMs, virtual);
    }

    /** The scheduler's MBean, once; false when this JVM has none (before Java 24). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean bean() {
        if (looked) {
            return bean != null;
        }
        looked = true;
        try {
            Class<?> type = Class.forName("jdk.management.VirtualThreadSchedulerMXBean");
            Object b = ManagementFactory.getPlatformMXBean((Class) type.asSubclass(PlatformManagedObject.class));
            parallelism = type.getMethod("getParallelism");
            mounted = type.getMethod("getMountedVirtualThreadCount");
            queued = type.getMethod("getQueuedVirtualThreadCount");
            bean = b;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            bean = null;
        }
        return bean != null;
    }

    /** One sample of the scheduler, once the application has virtual threads. */
    public void check() {
        if (!virtual.virtualThreadsSeen() || !bean()) {
            return;
        }
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
