package io.hbwatch.monitor.local;

import io.hbwatch.monitor.event.Output;
import io.hbwatch.monitor.event.Reporter;
import io.hbwatch.monitor.job.Job;
import io.hbwatch.monitor.job.JobRunner;
import io.hbwatch.monitor.job.Watch;
import io.hbwatch.protocol.Registry;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code --local}: every registered JVM of the host, kept up to date by a scan of the registry
 * every {@link #PERIOD} on its own thread ({@code monitor-local}). A new JVM is watched from the
 * scan that finds it, with one line saying which; one whose entry is gone or stale is dropped
 * {@link #GRACE} later, so that its jobs can still report how it ended (a graceful {@code
 * shutdown}, or {@code closed} after {@code kill -9}), with one line saying its last state.
 *
 * <p>Thread-safe: scans are serialized.
 */
public final class LocalWatch implements Runnable {
    static final Duration PERIOD = Duration.ofSeconds(1);
    static final Duration GRACE = Duration.ofSeconds(2);

    private final LocalJvms jvms;
    private final JobRunner runner;
    private final Reporter reporter;
    private final Output output;
    private final Function<Registry.Entry, Watch> watchOf;
    private final Map<Long, Watch> watched = new HashMap<>();
    private final Map<Long, Long> goneSince = new HashMap<>();
    private final Set<Long> unwatchable = new HashSet<>();
    private volatile boolean stopped;
    private String lastProblem;

    /** @param watchOf the watch of an entry's JVM; null when it cannot be watched (its heartbeat does not listen) */
    public LocalWatch(
            LocalJvms jvms,
            JobRunner runner,
            Reporter reporter,
            Output output,
            Function<Registry.Entry, Watch> watchOf) {
        this.jvms = jvms;
        this.runner = runner;
        this.reporter = reporter;
        this.output = output;
        this.watchOf = watchOf;
    }

    /** Counts {@code w}, started with the run, as the watch of JVM {@code pid}. */
    public synchronized void adopt(long pid, Watch w) {
        watched.put(pid, w);
    }

    /** Starts the scans on a daemon thread {@code monitor-local}. */
    public void start() {
        Thread t = new Thread(this, "monitor-local");
        t.setDaemon(true);
        t.start();
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                scan(System.nanoTime());
            } catch (RuntimeException e) {
                reporter.internalError();
                output.warn("monitor-cli: internal error in --local: " + e);
            }
            try {
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One scan: watches the new JVMs, drops those gone for {@link #GRACE}. */
    public synchronized void scan(long nowNanos) {
        List<Registry.Entry> live;
        try {
            live = jvms.list();
            lastProblem = null;
        } catch (LocalJvms.Unreadable e) {
            if (!e.getMessage().equals(lastProblem)) {
                output.warn("monitor-cli: --local: " + e.getMessage());
            }
            lastProblem = e.getMessage();
            return;
        }
        Set<Long> pids = new HashSet<>();
        for (Registry.Entry e : live) {
            pids.add(e.pid());
            goneSince.remove(e.pid());
            if (watched.containsKey(e.pid())) {
                continue;
            }
            Watch w = watchOf.apply(e);
            if (w == null) {
                if (unwatchable.add(e.pid())) {
                    output.note("monitor-cli: found " + e + ", but its heartbeat does not listen: not watched");
                }
                continue;
            }
            if (runner.keys().contains(w.key())) {
                continue; // a JVM that had its port is still being dropped: the next scan takes this one
            }
            reporter.watch(
                    w.key(),
                    w.options().target.toString(),
                    w.jobs().stream().map(Job::name).toList());
            runner.add(w);
            watched.put(e.pid(), w);
            output.note("monitor-cli: found " + LocalJvms.describe(e));
        }
        unwatchable.retainAll(pids);
        for (Iterator<Map.Entry<Long, Watch>> it = watched.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Watch> w = it.next();
            if (pids.contains(w.getKey())) {
                continue;
            }
            long since = goneSince.computeIfAbsent(w.getKey(), pid -> nowNanos);
            if (nowNanos - since >= GRACE.toNanos()) {
                runner.remove(w.getValue().key());
                reporter.unwatch(w.getValue().key(), "pid " + w.getKey() + " exited");
                goneSince.remove(w.getKey());
                it.remove();
            }
        }
    }

    /** The JVMs watched now, by pid. */
    public synchronized Set<Long> pids() {
        return new HashSet<>(watched.keySet());
    }
}
