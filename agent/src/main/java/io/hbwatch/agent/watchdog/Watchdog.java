package io.hbwatch.agent.watchdog;

import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.agent.health.AgentThreads;
import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.probe.ProbeSpec;
import io.hbwatch.agent.probe.Probes;
import io.hbwatch.agent.resource.CpuQuota;
import io.hbwatch.agent.resource.MemoryPools;
import io.hbwatch.agent.resource.OomWatch;
import io.hbwatch.agent.resource.ProcessLimits;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import io.hbwatch.agent.vthread.Carriers;
import io.hbwatch.agent.vthread.VirtualDeadlocks;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The in-process watchdog. Each part reports to {@link Health}, so the beat turns DEGRADED with
 * its own reason:
 *
 * <ul>
 *   <li>{@code pause}: {@link PauseSampler}, on the beat thread's own lateness ({@link
 *       #pauses()}); {@code gc}: the collectors' notifications ({@link GcPauses}, {@link GcLoad}); {@code deadlock}: {@link DeadlockCheck}
 *       on {@code hbwatch-deadlock};
 *   <li>{@code heap}, {@code oom}, {@code fds}, {@code threads}, {@code throttled}: the {@code
 *       resource} package, on {@code hbwatch-resources} every {@code resourceCheck}, which also
 *       carries out {@code onGc} and {@code onOom};
 *   <li>{@code stall} and {@code progress}: with {@code watch=} or {@code expect=}, {@link Probes}
 *       on {@code hbwatch-stall};
 *   <li>{@code agent}: {@link AgentThreads}, the agent's own loops;
 *   <li>virtual threads (Java 21 and later): deadlock cycles among them ({@link VirtualDeadlocks},
 *       on the deadlock check's thread) and a starved scheduler, {@code carriers} ({@link
 *       Carriers}, Java 24 and later).
 * </ul>
 *
 * <pre>
 * java -javaagent:hb-agent.jar=watch=com.acme.Shop#checkout@2s,expect=com.acme.Orders#poll@1m,onOom=exit=70 -jar app.jar
 * </pre>
 *
 * <p>Thread-safe. {@link #start} never throws: a part that cannot start is reported in one
 * {@code hbwatch:} line and the others run.
 */
public final class Watchdog implements AutoCloseable {
    private final PauseSampler pauses;
    private final DeadlockCheck deadlocks;
    private final GcLoad gc;
    private final List<Thread> threads = new ArrayList<>();
    private volatile Probes probes;
    private volatile GcPauses gcPauses;
    private volatile OomWatch oom;

    private Watchdog(PauseSampler pauses, DeadlockCheck deadlocks, GcLoad gc) {
        this.pauses = pauses;
        this.deadlocks = deadlocks;
        this.gc = gc;
    }

    /**
     * Starts the watchdog's threads and registers its checks with {@code health}, most telling
     * first: among findings of the same status, the first registered is the one a beat names.
     *
     * @param inst the agent's instrumentation, or {@code null} (standalone mode), in which case a
     *     {@code watch} or {@code expect} option is reported and ignored
     * @param attached true when loaded into a running JVM: errors from before are not counted
     */
    public static Watchdog start(AgentConfig config, Health health, Instrumentation inst, boolean attached) {
        Actions actions = new Actions(config.get(Keys.DUMP_DIR));
        long interval = config.get(Keys.INTERVAL);
        Watchdog w = new Watchdog(
                new PauseSampler(interval, config.get(Keys.PAUSE_WARN), config.get(Keys.PAUSE_RESOLUTION)),
                new DeadlockCheck(config.get(Keys.ON_DEADLOCK), actions),
                new GcLoad(
                        config.get(Keys.GC_WINDOW), config.get(Keys.GC_WARN), config.get(Keys.PAUSE_WARN), interval));
        long deadlockMs = config.get(Keys.DEADLOCK_CHECK);
        VirtualDeadlocks virtual = null;
        if (deadlockMs > 0) {
            try {
                health.register((Health.Check) w.deadlocks);
                health.register((Health.Contributor) w.deadlocks);
                virtual = VirtualDeadlocks.start(inst);
                if (virtual != null) {
                    health.register(virtual);
                }
                w.threads.add(
                        HbThreads.startPeriodic("deadlock", deadlockMs, new CheckDeadlocks(w.deadlocks, virtual)));
            } catch (RuntimeException e) {
                Log.warn("deadlock check not started: " + Log.describe(e));
            }
        }
        MemoryPools memory = null;
        try {
            memory = new MemoryPools(config.get(Keys.HEAP_WARN));
            long hold = config.get(Keys.OOM_HOLD);
            OomWatch oom = new OomWatch(hold, memory, !attached);
            oom.install();
            w.oom = oom;
            health.register((Health.Check) oom);
            health.register((Health.Contributor) oom);
            health.register((Health.Check) w.gc);
            health.register((Health.Contributor) w.gc);
            health.register(memory);
            ProcessLimits limits = new ProcessLimits(
                    config.get(Keys.FDS_WARN),
                    config.get(Keys.THREADS_WARN),
                    oom,
                    hold,
                    config.get(Keys.RESOURCE_CHECK));
            health.register(limits);
            CpuQuota quota = new CpuQuota(
                    config.get(Keys.THROTTLED_WARN),
                    config.get(Keys.THROTTLED_WINDOW),
                    config.get(Keys.RESOURCE_CHECK));
            health.register(quota);
            quota.explainLateBeats(interval);
            health.registerCatchUp(quota);
            Carriers carriers = Carriers.start(config.get(Keys.CARRIERS_WARN), virtual);
            if (carriers != null) {
                health.register(carriers);
            }
            health.register(new AgentThreads());
            Resources resources = new Resources(
                    w.gc,
                    memory,
                    oom,
                    limits,
                    quota,
                    carriers,
                    actions,
                    config.get(Keys.ON_GC),
                    config.get(Keys.ON_OOM));
            w.threads.add(HbThreads.startPeriodic("resources", config.get(Keys.RESOURCE_CHECK), resources));
        } catch (RuntimeException | LinkageError e) {
            Log.warn("resource checks not started: " + Log.describe(e));
        }
        List<ProbeSpec> watch = orEmpty(config.get(Keys.WATCH));
        List<ProbeSpec> expect = orEmpty(config.get(Keys.EXPECT));
        if (!watch.isEmpty() || !expect.isEmpty()) {
            if (inst == null) {
                Log.warn((watch.isEmpty() ? "expect" : "watch")
                        + ": probes need -javaagent or attach; ignored in standalone mode");
            } else {
                try {
                    w.probes = Probes.start(watch, expect, inst, health, config.get(Keys.ON_STALL), actions);
                } catch (Throwable e) { // LinkageError included: a broken Byte Buddy must not stop the agent
                    Log.warn("watch: probes not installed: " + Log.describe(e));
                }
            }
        }
        try {
            // Last: a pause that a collection, a quota or a deadlock explains is named by those.
            health.register((Health.Check) w.pauses);
            health.register((Health.Contributor) w.pauses);
            health.registerCatchUp(w.gc); // a collection just ended is named before the beat leaves
            w.gcPauses = GcPauses.start(w.pauses, w.gc, memory);
        } catch (RuntimeException e) {
            Log.warn("pause sampler not started: " + Log.describe(e));
        }
        return w;
    }

    private static List<ProbeSpec> orEmpty(List<ProbeSpec> specs) {
        return specs == null ? Collections.<ProbeSpec>emptyList() : specs;
    }

    /**
     * The pause sampler, for the beat thread to feed with its lateness ({@link
     * io.hbwatch.agent.beat.BeatServer#measureLateness}); without that, only collections are pauses.
     */
    public PauseSampler pauses() {
        return pauses;
    }

    /** Names of the threads deadlocked at the last check; empty when none (or the check is off). */
    public String[] deadlockedThreads() {
        return deadlocks.deadlockedThreads().toArray(new String[0]);
    }

    /** Longest pause of the last beat window or so, in milliseconds. */
    public long pauseMaxMillis() {
        return pauses.windowMaxMs();
    }

    /** Longest pause since start, in milliseconds. */
    public long pauseMaxTotalMillis() {
        return pauses.totalMaxMs();
    }

    /** Share of the last {@code gcWindow} spent in garbage collection, in percent. */
    public int gcPercent() {
        return gc.percent();
    }

    /** {@code OutOfMemoryError}s seen since the agent started. */
    public long outOfMemoryErrors() {
        OomWatch o = oom;
        return o == null ? 0 : o.count();
    }

    /** The probes' MBeans; empty without {@code watch} or {@code expect}. */
    public List<?> probes() {
        Probes p = probes;
        return p == null ? Collections.emptyList() : p.probes();
    }

    /** Stops the watchdog's threads and unregisters the probes' MBeans. Never throws. */
    @Override
    public void close() {
        for (Thread t : threads) {
            t.interrupt();
        }
        GcPauses g = gcPauses;
        if (g != null) {
            g.close();
        }
        OomWatch o = oom;
        if (o != null) {
            o.uninstall();
        }
        Probes p = probes;
        if (p != null) {
            try {
                p.close();
            } catch (RuntimeException e) {
                // closing on the way out: nothing to do about it
            }
        }
    }

    // Named classes rather than method references: they start with the agent, where a method
    // reference would spin a hidden class in the host (see HbThreads).

    /** One deadlock check, run periodically: platform threads, then cycles with virtual ones. */
    private static final class CheckDeadlocks implements Runnable {
        private final DeadlockCheck deadlocks;
        private final VirtualDeadlocks virtual;

        CheckDeadlocks(DeadlockCheck deadlocks, VirtualDeadlocks virtual) {
            this.deadlocks = deadlocks;
            this.virtual = virtual;
        }

        @Override
        public void run() {
            deadlocks.check();
            if (virtual != null) {
                virtual.check();
            }
        }
    }

    /**
     * Thread {@code hbwatch-resources}: the slower figures, the GC share's window, and {@code onGc}
     * and {@code onOom} when their finding first appears.
     */
    private static final class Resources implements Runnable {
        private final GcLoad gc;
        private final MemoryPools memory;
        private final OomWatch oom;
        private final ProcessLimits limits;
        private final CpuQuota quota;
        private final Carriers carriers;
        private final Actions actions;
        private final Action onGc;
        private final Action onOom;
        private Finding lastGc;
        private Finding lastOom;

        Resources(
                GcLoad gc,
                MemoryPools memory,
                OomWatch oom,
                ProcessLimits limits,
                CpuQuota quota,
                Carriers carriers,
                Actions actions,
                Action onGc,
                Action onOom) {
            this.gc = gc;
            this.memory = memory;
            this.oom = oom;
            this.limits = limits;
            this.quota = quota;
            this.carriers = carriers;
            this.actions = actions;
            this.onGc = onGc;
            this.onOom = onOom;
        }

        @Override
        public void run() {
            gc.evaluate(System.nanoTime());
            memory.check();
            oom.check();
            limits.check();
            quota.check();
            if (carriers != null) {
                carriers.check();
            }
            lastGc = react(gc.current(), lastGc, onGc, "gc");
            lastOom = react(oom.current(), lastOom, onOom, "oom");
        }

        /** Logs a finding and acts once when it appears; a finding that goes on acts no more. */
        private Finding react(Finding now, Finding before, Action action, String what) {
            if (now != null && before == null) {
                Log.warn(what + ": " + now.detail());
                actions.perform(action, what, now.detail());
            }
            return now;
        }
    }
}
