package io.hbwatch.agent.watchdog;

import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.probe.ProbeSpec;
import io.hbwatch.agent.probe.Probes;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The in-process watchdog: pauses ({@link PauseSampler} on {@code hbwatch-pause}, and GC pauses
 * from the collectors' notifications, {@link GcPauses}), deadlocks
 * ({@link DeadlockCheck} on {@code hbwatch-deadlock}) and, with {@code watch=...}, hung methods
 * ({@link Probes} on {@code hbwatch-stall}). Each reports to {@link Health}, so the beat turns
 * DEGRADED with reason {@code pause}, {@code deadlock} or {@code stall}.
 *
 * <pre>
 * java -javaagent:hb-agent.jar=watch=com.acme.Shop#checkout@2s,onStall=dump,deadlockCheck=1s -jar app.jar
 * </pre>
 *
 * <p>Thread-safe. {@link #start} never throws: a part that cannot start is reported in one
 * {@code hbwatch:} line and the others run.
 */
public final class Watchdog implements AutoCloseable {
    private final PauseSampler pauses;
    private final DeadlockCheck deadlocks;
    private final List<Thread> threads = new ArrayList<>();
    private volatile Probes probes;
    private volatile GcPauses gcPauses;

    private Watchdog(PauseSampler pauses, DeadlockCheck deadlocks) {
        this.pauses = pauses;
        this.deadlocks = deadlocks;
    }

    /**
     * Starts the watchdog's threads and registers its checks with {@code health}.
     *
     * @param inst the agent's instrumentation, or {@code null} (standalone mode), in which case a
     *     {@code watch} option is reported and ignored
     */
    public static Watchdog start(AgentConfig config, Health health, Instrumentation inst) {
        Actions actions = new Actions(config.get(Keys.DUMP_DIR));
        Watchdog w = new Watchdog(
                new PauseSampler(
                        config.get(Keys.INTERVAL), config.get(Keys.PAUSE_WARN), config.get(Keys.PAUSE_RESOLUTION)),
                new DeadlockCheck(config.get(Keys.ON_DEADLOCK), actions));
        try {
            health.register((Health.Check) w.pauses);
            health.register((Health.Contributor) w.pauses);
            w.threads.add(HbThreads.start("pause", new Sample(w.pauses)));
            w.gcPauses = GcPauses.start(w.pauses);
        } catch (RuntimeException e) {
            Log.warn("pause sampler not started: " + Log.describe(e));
        }
        long deadlockMs = config.get(Keys.DEADLOCK_CHECK);
        if (deadlockMs > 0) {
            try {
                health.register((Health.Check) w.deadlocks);
                health.register((Health.Contributor) w.deadlocks);
                w.threads.add(HbThreads.startPeriodic("deadlock", deadlockMs, new CheckDeadlocks(w.deadlocks)));
            } catch (RuntimeException e) {
                Log.warn("deadlock check not started: " + Log.describe(e));
            }
        }
        List<ProbeSpec> watch = config.get(Keys.WATCH);
        if (watch != null) {
            if (inst == null) {
                Log.warn("watch: probes need -javaagent or attach; ignored in standalone mode");
            } else {
                try {
                    w.probes = Probes.start(watch, inst, health, config.get(Keys.ON_STALL), actions);
                } catch (Throwable e) { // LinkageError included: a broken Byte Buddy must not stop the agent
                    Log.warn("watch: probes not installed: " + Log.describe(e));
                }
            }
        }
        return w;
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

    /** The probes' MBeans; empty without {@code watch}. */
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
        GcPauses gc = gcPauses;
        if (gc != null) {
            gc.close();
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

    /** The pause sampler's thread. */
    private static final class Sample implements Runnable {
        private final PauseSampler pauses;

        Sample(PauseSampler pauses) {
            this.pauses = pauses;
        }

        @Override
        public void run() {
            pauses.run();
        }
    }

    /** One deadlock check, run periodically. */
    private static final class CheckDeadlocks implements Runnable {
        private final DeadlockCheck deadlocks;

        CheckDeadlocks(DeadlockCheck deadlocks) {
            this.deadlocks = deadlocks;
        }

        @Override
        public void run() {
            deadlocks.check();
        }
    }
}
