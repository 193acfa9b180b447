package io.hbwatch.monitor.job;

import io.hbwatch.monitor.beat.Backoff;
import io.hbwatch.monitor.event.Check;
import io.hbwatch.monitor.event.Output;
import io.hbwatch.monitor.event.Reporter;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the jobs of every watched target until every job is done ({@code --count}) or {@link
 * #stop()} is called (SIGINT, SIGTERM), on a fixed number of threads whatever the number of
 * targets: every heartbeat stream on one {@link BeatLoop} ({@code monitor-beats}), every {@link
 * PeriodicJob} check (ping, jmx) on one scheduled pool of at most {@value #MAX_CHECK_THREADS}
 * threads ({@code monitor-check-N}). A job of neither kind gets a thread of its own ({@code
 * monitor-<job>}), as every job did before.
 *
 * <p>Thread-safe: {@link #stop()} may come from any thread, a signal handler's included.
 */
public final class JobRunner {
    /** Enough for a few hundred periodic checks a second of a few ms each, or a few dozen dead hosts timing out. */
    static final int MAX_CHECK_THREADS = 16;

    private final List<List<Job>> jobsByWatch = new ArrayList<>();
    private final List<List<JobContext>> contextsByWatch = new ArrayList<>();
    /** Every job of the run now, by watch key; guarded by {@code this}. */
    private final Map<String, List<JobContext>> running = new LinkedHashMap<>();

    private final ScheduledThreadPoolExecutor checks;
    private final Reporter reporter;
    private final Output out;
    private final OwnStalls stalls;
    private BeatLoop beats;
    /** Jobs not yet finished; guarded by {@code this}. */
    private int unfinished;

    private boolean stopped;
    /** Periodic jobs and pending resolutions, for the size of the check pool; guarded by {@code this}. */
    private int periodic;
    /** Whether the run goes on with no job left, waiting for {@link #add}: guarded by {@code this}. */
    private boolean open;

    /** Looks up a host name: {@link InetAddress#getByName} but in tests. */
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;

    public JobRunner(List<Watch> watches, Reporter reporter, Output out) {
        this(watches, reporter, out, OwnStalls.NONE);
    }

    /** @param stalls the monitor's own stalls, which no job blames on its target */
    public JobRunner(List<Watch> watches, Reporter reporter, Output out, OwnStalls stalls) {
        this(watches, reporter, out, InetAddress::getByName, stalls);
    }

    JobRunner(List<Watch> watches, Reporter reporter, Output out, Resolver resolver) {
        this(watches, reporter, out, resolver, OwnStalls.NONE);
    }

    private JobRunner(List<Watch> watches, Reporter reporter, Output out, Resolver resolver, OwnStalls stalls) {
        this.resolver = resolver;
        this.reporter = reporter;
        this.out = out;
        this.stalls = stalls;
        AtomicInteger n = new AtomicInteger();
        this.checks = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "monitor-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        checks.setRemoveOnCancelPolicy(true);
        synchronized (this) {
            for (Watch w : watches) {
                jobsByWatch.add(w.jobs());
                contextsByWatch.add(contexts(w));
            }
        }
    }

    /** The contexts of {@code w}'s jobs, counted as unfinished until each finishes. Under {@code this}. */
    private List<JobContext> contexts(Watch w) {
        List<JobContext> cs = new ArrayList<>();
        for (Job job : w.jobs()) {
            JobContext ctx =
                    new JobContext(job.name(), w.key(), w.options(), w.address(), w.origin(), reporter, out, stalls);
            ctx.onFinish(this::finished);
            cs.add(ctx);
            unfinished++;
            periodic += job instanceof PeriodicJob || w.address() == null ? 1 : 0;
        }
        running.put(w.key(), cs);
        checks.setCorePoolSize(Math.max(1, Math.min(MAX_CHECK_THREADS, periodic)));
        return cs;
    }

    private synchronized void finished() {
        unfinished--;
        notifyAll();
    }

    /**
     * Keeps the run going while no job is left ({@code --local} before the first JVM, say): it then
     * ends only by {@link #stop()}.
     */
    public synchronized void keepOpen() {
        open = true;
    }

    /** Starts watching {@code w} in a running run (a reload, a new JVM found); its key must be new. */
    public void add(Watch w) {
        List<JobContext> cs;
        synchronized (this) {
            if (stopped || running.containsKey(w.key())) {
                return;
            }
            cs = contexts(w);
        }
        for (int j = 0; j < cs.size(); j++) {
            start(w.jobs().get(j), cs.get(j));
        }
    }

    /** Stops watching the watch {@code key}: its jobs end, their connections close. */
    public void remove(String key) {
        List<JobContext> cs;
        BeatLoop loop;
        synchronized (this) {
            cs = running.remove(key);
            loop = beats;
        }
        if (cs == null) {
            return;
        }
        for (JobContext ctx : cs) {
            ctx.stop();
            if (loop != null) {
                loop.remove(ctx);
            }
        }
    }

    private volatile Runnable reload;

    /** What {@link #reload()} does: reread the targets file. */
    public void onReload(Runnable action) {
        this.reload = action;
    }

    /** SIGHUP: rereads the targets file, or says that there is none; the run goes on either way. */
    public void reload() {
        Runnable r = reload;
        if (r == null) {
            out.warn("monitor-cli: SIGHUP: no --targets file to reload; going on");
        } else {
            r.run();
        }
    }

    /**
     * SIGHUP cannot reach this process (it was ignored when the JVM started, as under {@code
     * nohup}): one line when there is a targets file that it would reload.
     */
    public void reloadUnreachable() {
        if (reload != null) {
            out.warn("monitor-cli: SIGHUP is ignored in this process (started under nohup?), so --targets is"
                    + " not reread on SIGHUP; restart the monitor to change its targets");
        }
    }

    /** The keys of the watches running now. */
    public synchronized java.util.Set<String> keys() {
        return new java.util.LinkedHashSet<>(running.keySet());
    }

    /**
     * Starts every job and waits until all are done or the run is stopped. Where a target has
     * several jobs the first (ping, in {@link Jobs}' order) gets up to {@code firstWait} to report
     * before the others start, so that the diagnosis of their first events can already say whether
     * the host answers.
     */
    public void run(Duration firstWait) throws InterruptedException {
        List<JobContext> firsts = new ArrayList<>();
        for (int w = 0; w < jobsByWatch.size(); w++) {
            start(jobsByWatch.get(w).get(0), contextsByWatch.get(w).get(0));
            if (jobsByWatch.get(w).size() > 1) {
                firsts.add(contextsByWatch.get(w).get(0));
            }
        }
        long end = System.nanoTime() + firstWait.toNanos();
        for (JobContext first : firsts) {
            first.awaitFirstReport(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
        for (int w = 0; w < jobsByWatch.size(); w++) {
            for (int j = 1; j < jobsByWatch.get(w).size(); j++) {
                start(jobsByWatch.get(w).get(j), contextsByWatch.get(w).get(j));
            }
        }
        try {
            synchronized (this) {
                while (!stopped && (unfinished > 0 || open)) {
                    wait();
                }
            }
        } finally {
            shutdown();
        }
    }

    private void start(Job job, JobContext ctx) {
        if (ctx.address() == null) {
            Backoff backoff = new Backoff(HeartbeatJob.FIRST_RETRY, HeartbeatJob.MAX_RETRY);
            checks.execute(() -> resolve(job, ctx, backoff));
        } else if (job instanceof HeartbeatJob hb) {
            synchronized (this) {
                if (beats == null) {
                    beats = new BeatLoop();
                }
            }
            beats.add(hb, ctx);
        } else if (job instanceof PeriodicJob p) {
            checks.execute(() -> tick(p, ctx));
        } else {
            Thread t = new Thread(() -> runOwnThread(job, ctx), "monitor-" + job.name());
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * One attempt to resolve the host of a target that did not resolve when the run started: on
     * success the job starts as any other; on failure one DOWN {@code unresolved} check (it counts
     * against {@code --count}) and the next attempt after the job's own wait: {@code --interval} for
     * a periodic job, the reconnect backoff for the heartbeat stream. The JVM caches a failed lookup
     * for {@code networkaddress.cache.negative.ttl} (10 s by default), which delays a new name by as much.
     */
    private void resolve(Job job, JobContext ctx, Backoff backoff) {
        String host = ctx.target().host();
        try {
            if (!ctx.running()) {
                ctx.finish();
                return;
            }
            ctx.resolved(resolver.resolve(host));
            start(job, ctx);
        } catch (UnknownHostException e) {
            String detail =
                    "cannot resolve host '" + host + "'" + (ctx.origin() == null ? "" : " (" + ctx.origin() + ")");
            if (!ctx.report(Check.down(Protocol.SUBJECT_HOST, Reason.UNRESOLVED, detail)) || !ctx.running()) {
                ctx.finish();
                return;
            }
            Duration wait = job instanceof PeriodicJob ? ctx.options().interval : backoff.next();
            try {
                checks.schedule(() -> resolve(job, ctx, backoff), wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                ctx.finish();
            }
        } catch (RejectedExecutionException e) {
            ctx.finish(); // the run is stopping
        } catch (RuntimeException | Error e) {
            ctx.internalError(
                    "monitor-cli: internal error resolving " + host + " for the " + job.name() + " job: " + e);
            ctx.finish();
        }
    }

    /** One check of {@code job}, then the next one scheduled: never two at once for one job. */
    private void tick(PeriodicJob job, JobContext ctx) {
        try {
            ctx.checkStarting();
            Duration wait = ctx.running() ? job.check(ctx) : null;
            if (wait == null || !ctx.running()) {
                ctx.finish();
            } else {
                checks.schedule(() -> tick(job, ctx), wait.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            ctx.finish();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ctx.finish(); // the run is stopping
        } catch (RuntimeException | Error e) {
            // A bug, not a fault of the target: one line, no event; the missing result makes exit 3.
            ctx.internalError("monitor-cli: internal error in the " + job.name() + " job: " + e);
            ctx.finish();
        }
    }

    private void runOwnThread(Job job, JobContext ctx) {
        try {
            job.run(ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            ctx.internalError("monitor-cli: internal error in the " + job.name() + " job: " + e);
        } finally {
            ctx.finish();
        }
    }

    private synchronized void shutdown() {
        checks.shutdownNow();
        if (beats != null) {
            beats.close();
        }
    }

    /** Stops every job and lets {@link #run} return. Idempotent. */
    public void stop() {
        List<JobContext> all = new ArrayList<>();
        synchronized (this) {
            stopped = true;
            running.values().forEach(all::addAll);
            notifyAll();
        }
        for (JobContext ctx : all) {
            ctx.stop();
        }
        shutdown();
    }
}
