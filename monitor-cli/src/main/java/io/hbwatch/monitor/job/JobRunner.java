package io.hbwatch.monitor.job;

import io.hbwatch.monitor.cli.MonitorOptions;
import io.hbwatch.monitor.event.Output;
import io.hbwatch.monitor.event.Reporter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs jobs side by side, one daemon thread each ({@code monitor-<job>}), until every job is done
 * ({@code --count}) or {@link #stop()} is called (SIGINT, SIGTERM).
 *
 * <p>Thread-safe: {@link #stop()} may come from any thread, a signal handler's included.
 */
public final class JobRunner {
    private final List<Job> jobs;
    private final List<JobContext> contexts = new ArrayList<>();
    private final CountDownLatch done;

    public JobRunner(List<Job> jobs, MonitorOptions options, InetAddress address, Reporter reporter, Output out) {
        this.jobs = jobs;
        this.done = new CountDownLatch(jobs.size());
        for (Job job : jobs) {
            contexts.add(new JobContext(job.name(), options, address, reporter, out));
        }
    }

    /**
     * Starts every job and waits until all are done or the run is stopped. With several jobs the
     * first (ping, in {@link Jobs}' order) gets up to {@code firstWait} to report before the others
     * start, so that the diagnosis of their first events can already say whether the host answers.
     */
    public void run(Duration firstWait) throws InterruptedException {
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            JobContext ctx = contexts.get(i);
            Thread t = new Thread(() -> runOne(job, ctx), "monitor-" + job.name());
            t.setDaemon(true);
            t.start();
            if (i == 0 && jobs.size() > 1) {
                ctx.awaitFirstReport(firstWait);
            }
        }
        done.await();
    }

    private void runOne(Job job, JobContext ctx) {
        try {
            job.run(ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // A bug, not a fault of the target: one line, no event; the missing result makes exit 3.
            ctx.note("monitor-cli: internal error in the " + job.name() + " job: " + e);
        } finally {
            done.countDown();
        }
    }

    /** Stops every job and lets {@link #run()} return. Idempotent. */
    public void stop() {
        for (JobContext ctx : contexts) {
            ctx.stop();
        }
        while (done.getCount() > 0) {
            done.countDown();
        }
    }
}
