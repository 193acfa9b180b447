package io.hbwatch.monitor.job;

import io.hbwatch.monitor.cli.MonitorOptions;
import io.hbwatch.monitor.cli.Target;
import io.hbwatch.monitor.event.Check;
import io.hbwatch.monitor.event.Output;
import io.hbwatch.monitor.event.Reporter;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * What one job sees of the run: the options, the resolved target, where results go, and whether to
 * go on. Counts the job's checks against {@code --count}.
 *
 * <p>Thread-safe: the job's thread reports and waits; the runner's thread may {@link #stop()} it.
 */
public final class JobContext {
    private final MonitorOptions options;
    private final String origin;
    private volatile InetAddress address;
    private final Reporter reporter;
    private final Output output;
    private final Object lock = new Object();
    private final java.util.concurrent.CountDownLatch firstReport = new java.util.concurrent.CountDownLatch(1);
    private long checks;
    private boolean stopped;
    private Runnable onFinish = () -> {};
    private boolean finished;
    private Closeable resource;
    private final OwnStalls stalls;
    /** Where this job's checks go in the reporter, found once. */
    private final Reporter.Road road;
    /** When the current periodic check began; {@link Long#MIN_VALUE} for jobs that are not periodic. */
    private volatile long checkStartNanos = Long.MIN_VALUE;

    JobContext(
            String job,
            String key,
            MonitorOptions options,
            InetAddress address,
            String origin,
            Reporter reporter,
            Output output,
            OwnStalls stalls) {
        this.stalls = stalls;
        this.options = options;
        this.address = address;
        this.origin = origin;
        this.reporter = reporter;
        this.output = output;
        this.road = reporter.road(key, job); // declared by reporter.watch before any job of it starts
    }

    public MonitorOptions options() {
        return options;
    }

    public Target target() {
        return options.target;
    }

    /**
     * The target's host, resolved once: when the run started, or by the runner's retries for a
     * target of a targets file whose host did not resolve then. Never null once the job runs.
     */
    public InetAddress address() {
        return address;
    }

    /** Where the target was given ({@code fleet.txt:3}), or null for the command line. */
    String origin() {
        return origin;
    }

    /** The address the runner found for a host that did not resolve when the run started. */
    void resolved(InetAddress a) {
        this.address = a;
    }

    /** The monitor's own stalls, which a silence must not be blamed for. */
    public OwnStalls stalls() {
        return stalls;
    }

    /** A periodic check begins now: a DOWN it reports is weighed against the monitor's own stalls. */
    void checkStarting() {
        checkStartNanos = System.nanoTime();
    }

    /**
     * Reports one check; returns whether the job should go on. A periodic check that found no
     * answer ({@code timeout}, {@code unreachable}) while the monitor itself was stalled is not
     * reported: the next check, made after the stall, decides.
     */
    public boolean report(Check check) {
        synchronized (lock) {
            if (stopped) {
                return false; // the run or this watch is over: what comes now was cut short by that
            }
        }
        long started = checkStartNanos;
        if (started != Long.MIN_VALUE
                && check.state() == Status.DOWN
                && (Reason.TIMEOUT.equals(check.reason()) || Reason.UNREACHABLE.equals(check.reason()))
                && stalls.overlaps(started, System.nanoTime()) != Long.MIN_VALUE) {
            return running();
        }
        reporter.report(road, check);
        synchronized (lock) {
            checks++;
        }
        firstReport.countDown();
        return running();
    }

    /** Waits until the job has reported once, the run is stopped, or {@code atMost} has passed. */
    boolean awaitFirstReport(Duration atMost) throws InterruptedException {
        return firstReport.await(atMost.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A bug of the monitor's own: the line on stderr, and the run's exit code becomes 3. */
    public void internalError(String line) {
        reporter.internalError();
        note(line);
    }

    /** A line about how the job works (which probe it uses, say); not an event. */
    public void note(String line) {
        synchronized (reporter) {
            output.note(line);
        }
    }

    /** False once the run is stopped or the job has made {@code --count} checks. */
    public boolean running() {
        synchronized (lock) {
            return !stopped && (options.count == null || checks < options.count);
        }
    }

    /** Waits {@code d}, or less when the run is stopped meanwhile. */
    public void sleep(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        synchronized (lock) {
            long left;
            while (!stopped && (left = end - System.nanoTime()) > 0) {
                lock.wait(Math.max(1, left / 1_000_000), 0);
            }
        }
    }

    /**
     * Names what {@link #stop()} must close to wake the job from a blocking read (its socket), or
     * null when there is none. A resource given after the stop is closed at once.
     */
    public void closeOnStop(Closeable c) {
        boolean closeNow;
        synchronized (lock) {
            resource = c;
            closeNow = stopped && c != null;
        }
        if (closeNow) {
            closeQuietly(c);
        }
    }

    /** Names what {@link #finish()} tells: the runner's count of jobs still going. */
    void onFinish(Runnable r) {
        synchronized (lock) {
            onFinish = r;
        }
    }

    /** The job is done ({@code --count} reached, or stopped): tells the runner, once. */
    void finish() {
        Runnable r;
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            r = onFinish;
        }
        r.run();
    }

    /** Ends the job: wakes its waits and closes its socket. Idempotent. */
    public void stop() {
        Closeable c;
        synchronized (lock) {
            stopped = true;
            firstReport.countDown();
            c = resource;
            lock.notifyAll();
        }
        if (c != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing only to wake a reader; nothing to report
        }
    }
}
