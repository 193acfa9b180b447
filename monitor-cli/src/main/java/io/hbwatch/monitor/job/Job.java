package io.hbwatch.monitor.job;

/**
 * One way of checking a target ({@code ping}, {@code hb}, {@code jmx}). A job reports every check
 * through its {@link JobContext} and stops when {@link JobContext#running()} turns false. Network
 * failures are results, never exceptions: a job throws only for bugs.
 *
 * <p>A new job is one class implementing this, plus one line in {@link Jobs}. Implement {@link
 * PeriodicJob} (one check at a time) so that the {@link JobRunner} runs it for every target on its
 * shared, bounded pool; a job that implements only {@link #run} gets a thread of its own per
 * target, which is fine for a few targets and not for a fleet.
 */
public interface Job {
    /** The job's name in events and in {@code --job}: {@code ping}, {@code hb} or {@code jmx}. */
    String name();

    /**
     * Checks until {@code ctx.running()} is false.
     *
     * @throws InterruptedException when the run is stopped while the job waits
     */
    void run(JobContext ctx) throws InterruptedException;
}
