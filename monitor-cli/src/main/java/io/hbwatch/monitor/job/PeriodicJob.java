package io.hbwatch.monitor.job;

import java.time.Duration;

/**
 * A job that checks now and then ({@code ping}, {@code jmx}): the runner calls {@link #check} on a
 * bounded pool shared by every target, never twice at once for one job, so that a thousand targets
 * do not take a thousand threads. A check may block, but only for about its own timeout.
 *
 * <p>{@link #run} is the same job on a thread of its own, for whoever calls it directly.
 */
public interface PeriodicJob extends Job {
    /**
     * Makes one check and reports it through {@code ctx}.
     *
     * @return the wait before the next check, or null when the job is done (its report returned false)
     * @throws InterruptedException when the run is stopped during the check
     */
    Duration check(JobContext ctx) throws InterruptedException;

    @Override
    default void run(JobContext ctx) throws InterruptedException {
        while (ctx.running()) {
            Duration wait = check(ctx);
            if (wait == null) {
                return;
            }
            ctx.sleep(wait);
        }
    }
}
