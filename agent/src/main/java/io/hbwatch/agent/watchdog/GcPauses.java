package io.hbwatch.agent.watchdog;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.hbwatch.agent.resource.MemoryPools;
import io.hbwatch.agent.util.Log;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Feeds every stop-the-world garbage collection pause to a {@link PauseSampler}, exactly and as it
 * ends, from the notifications the JVM's collectors send ({@link GarbageCollectionNotificationInfo},
 * as Micrometer and the OpenTelemetry agent read them). It costs nothing between collections: no
 * thread of its own, no wake-up; the JDK's notification thread runs {@link #handleNotification}.
 *
 * <p>Concurrent phases are not pauses and are skipped: a collector whose name ends in {@code
 * Cycles} (ZGC, Shenandoah), Azul's {@code GPGC} collectors other than their {@code Pauses}, and
 * any notification whose cause is {@code No GC} (G1's {@code G1 Concurrent GC} on Java 21 and later:
 * its remark and cleanup pauses are short, and the sampler sees them if they are not). The pause figure is the collection's duration in
 * whole milliseconds; a safepoint's time-to-safepoint is not in it (the sampler sees that).
 *
 * <p>Thread-safe.
 */
final class GcPauses implements NotificationListener, AutoCloseable {
    private final PauseSampler sampler;
    private final GcLoad load;
    private final MemoryPools memory;
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    private GcPauses(PauseSampler sampler, GcLoad load, MemoryPools memory) {
        this.sampler = sampler;
        this.load = load;
        this.memory = memory;
    }

    /**
     * Listens to every collector that sends notifications. Never throws: a JVM without them (no
     * {@code jdk.management} module) is reported in one line and leaves the sampler alone to see
     * collections too, less exactly.
     */
    static GcPauses start(PauseSampler sampler, GcLoad load, MemoryPools memory) {
        GcPauses gc = new GcPauses(sampler, load, memory);
        try {
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (bean instanceof NotificationEmitter) {
                    NotificationEmitter emitter = (NotificationEmitter) bean;
                    emitter.addNotificationListener(gc, null, null);
                    gc.emitters.add(emitter);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            Log.warn("GC pauses are measured by the sampler only: " + Log.describe(e));
        }
        return gc;
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        try {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (memory != null) {
                memory.afterCollection(info.getGcName(), info.getGcCause()); // concurrent cycles free memory too
            }
            if (isConcurrent(info.getGcName(), info.getGcCause())) {
                return;
            }
            long now = System.nanoTime();
            long nanos = info.getGcInfo().getDuration() * 1_000_000L;
            sampler.recordGc(nanos, now);
            load.collected(info.getGcName(), info.getGcCause(), nanos, now);
        } catch (Throwable e) {
            // A notification we cannot read (or no memory to read it): the sampler still sees the
            // pause, less exactly. Nothing may escape into the JDK's notification thread.
            try {
                Log.debug("GC notification not read: " + Log.describe(e));
            } catch (Throwable ignored) {
                // memory too short even for the line
            }
        }
    }

    /** Whether a collection ran alongside the application instead of stopping it. */
    static boolean isConcurrent(String gcName, String gcCause) {
        return "No GC".equals(gcCause)
                || gcName.endsWith("Cycles")
                || (gcName.startsWith("GPGC") && !gcName.endsWith("Pauses"));
    }

    /** Stops listening. Never throws. */
    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException | RuntimeException e) {
                // already gone: nothing to undo
            }
        }
    }
}
