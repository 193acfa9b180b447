package io.hbwatch.monitor.job;

/**
 * One way of checking a target ({@code ping}, {@code hb}, {@code jmx}), run on its own thread. A
 * job reports every check through its {@link JobContext} and returns when {@link
 * JobContext#running()} turns false. Network failures are results, never exceptions: a job throws
 * only for bugs.
 *
 * <p>A new job is one class implementing this, plus one line in {@link Jobs}.
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
