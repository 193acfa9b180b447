package io.hbwatch.agent.probe;

import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import io.hbwatch.agent.watchdog.Action;
import io.hbwatch.agent.watchdog.Actions;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The probes of one agent run: their MBeans, the stall scanner on thread {@code hbwatch-stall},
 * and the Byte Buddy transformation. This class refers to no Byte Buddy type, so that loading it
 * does not load Byte Buddy; only {@link #start} reaches {@code ProbeInstaller}, which does.
 *
 * <p>Thread-safe: {@link #close()} may run on any thread, once.
 */
public final class Probes implements AutoCloseable {
    private final List<Probe> probes;
    private final StallScanner scanner;
    private final List<ObjectName> registered = new ArrayList<>();
    private volatile Thread thread;

    private Probes(List<Probe> probes, StallScanner scanner) {
        this.probes = probes;
        this.scanner = scanner;
    }

    /**
     * Registers one MBean per probe, starts the stall scanner, registers it with {@code health}
     * and instruments the probed classes, those loaded already (retransformation) and those still
     * to come.
     *
     * @param inst the agent's instrumentation; must support retransformation for classes already
     *     loaded
     */
    public static Probes start(
            List<ProbeSpec> watch,
            List<ProbeSpec> expect,
            Instrumentation inst,
            Health health,
            Action onStall,
            Actions actions) {
        int first = ProbeCalls.reserveIds(watch.size() + expect.size());
        List<Probe> list = new ArrayList<>();
        for (ProbeSpec spec : watch) {
            list.add(new Probe(spec, first + list.size(), false));
        }
        for (ProbeSpec spec : expect) {
            list.add(new Probe(spec, first + list.size(), true));
        }
        List<Probe> probes = Collections.unmodifiableList(list);
        Probes p = new Probes(probes, new StallScanner(probes, onStall, actions));
        p.registerMBeans();
        health.register((Health.Check) p.scanner);
        health.register(p.scanner.progress());
        health.register((Health.Contributor) p.scanner);
        p.thread = HbThreads.startPeriodic("stall", p.scanner.periodMs(), p.scanner::scan);
        ProbeInstaller.install(inst, probes);
        for (Probe probe : probes) {
            Log.info(probe.getKind() + ": " + probe.spec + ": " + probe.getState());
        }
        return p;
    }

    /** The probes' MBeans, in the order given. */
    public List<? extends ProbeMXBean> probes() {
        return probes;
    }

    private void registerMBeans() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (Probe p : probes) {
            try {
                ObjectName name = p.expect ? expectName(p.spec) : objectName(p.spec);
                if (server.isRegistered(name)) {
                    server.unregisterMBean(name); // an earlier run's probe of the same target
                }
                server.registerMBean(p, name);
                registered.add(name);
            } catch (Exception e) {
                Log.warn("watch: no MBean for " + p.spec.target() + ": " + Log.describe(e));
            }
        }
    }

    /** {@code hbwatch:type=Probe,kind=expect,name=CLASS#METHOD}: an {@code expect=} probe's MBean. */
    public static ObjectName expectName(ProbeSpec spec) {
        try {
            return new ObjectName("hbwatch:type=Probe,kind=expect,name=" + spec.target());
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code hbwatch:type=Probe,name=CLASS#METHOD}. */
    public static ObjectName objectName(ProbeSpec spec) {
        try {
            return new ObjectName("hbwatch:type=Probe,name=" + spec.target());
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Stops the scanner and unregisters the MBeans. The instrumentation stays: undoing it means
     * retransforming classes, too heavy for a JVM that is shutting down, and the advice is cheap.
     */
    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (Exception e) {
                // already gone
            }
        }
    }
}
