package io.hbwatch.monitor.hook;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.monitor.event.Event;
import io.hbwatch.monitor.event.Listener;
import io.hbwatch.protocol.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code --on-down CMD} and {@code --on-up CMD}: runs a shell command when a job on a target goes
 * DOWN (from UP or DEGRADED, or as its first result) and when it comes back UP (from DOWN or
 * DEGRADED; not its first result), with the event as one JSON line on stdin. A repeat of DOWN with
 * another reason (closed, then refused) runs nothing: one outage, one hook. {@code
 * --on-down-ignore shutdown} (a list of reasons) skips {@code --on-down} for a DOWN with one of them,
 * so that a deploy (the JVM exiting on purpose) does not page.
 *
 * <p>While a job flaps ({@link io.hbwatch.monitor.event.Flapping}) its changes run no hook: {@code
 * --on-down} runs once when the flapping starts (the event carries {@code "flapping":true}), and
 * once it ends (the event carries {@code "flapping":false}) {@code --on-down} runs if the job is
 * DOWN then, else {@code --on-up}.
 *
 * <p>Hooks never delay detection: they run on a bounded pool ({@value #THREADS} at a time, at most
 * {@value #QUEUE} waiting), each within {@code --hook-timeout}, after which it is killed with its
 * children. A hook that fails, times out or finds the queue full is one line on stderr (and a count
 * in {@code hbwatch_hook_runs_total}); the monitor's own events on stdout stay about the targets.
 *
 * <p>Thread-safe.
 */
public final class Hooks implements Listener, AutoCloseable {
    static final int THREADS = 4;
    static final int QUEUE = 256;

    /** What became of one run, as the {@code result} label of {@code hbwatch_hook_runs_total}. */
    public enum Result {
        ok,
        failed,
        timeout,
        dropped
    }

    /** Receives the outcome of every hook run: the hook ({@code down}, {@code up}) and its result. */
    public interface Outcomes {
        void record(String hook, Result result);
    }

    private final String onDown;
    private final String onUp;
    private final Duration timeout;
    private final Consumer<String> problems;
    private final Outcomes outcomes;
    private final ThreadPoolExecutor pool;
    private final Set<String> ignoredDownReasons;
    /** target and job of those that flap now. */
    private final Set<String> flapping = ConcurrentHashMap.newKeySet();

    /**
     * @param onDown the {@code --on-down} command, or null
     * @param onUp the {@code --on-up} command, or null
     * @param problems receives one line per failed, timed-out or dropped run (stderr)
     */
    public Hooks(String onDown, String onUp, Duration timeout, Consumer<String> problems, Outcomes outcomes) {
        this(onDown, onUp, Set.of(), timeout, problems, outcomes);
    }

    /** @param ignoredDownReasons reasons of a DOWN that runs no {@code --on-down} ({@code shutdown}, say) */
    public Hooks(
            String onDown,
            String onUp,
            Set<String> ignoredDownReasons,
            Duration timeout,
            Consumer<String> problems,
            Outcomes outcomes) {
        this.ignoredDownReasons = Set.copyOf(ignoredDownReasons);
        this.onDown = onDown;
        this.onUp = onUp;
        this.timeout = timeout;
        this.problems = problems;
        this.outcomes = outcomes;
        AtomicInteger n = new AtomicInteger();
        this.pool =
                new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "monitor-hook-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void onCheck(String target, String job, Check check, Check previous, Event event) {
        if (event == null) {
            return;
        }
        String key = target + "\u0000" + job;
        if (event.flapping() != null) {
            if (event.flapping() && flapping.add(key)) {
                if (onDown != null) {
                    submit("down", onDown, event); // the flapping starts: one page for all its changes
                }
            } else if (!event.flapping() && flapping.remove(key)) {
                if (check.state() == Status.DOWN && onDown != null && !ignored(event)) {
                    submit("down", onDown, event);
                } else if (check.state() != Status.DOWN && onUp != null) {
                    submit("up", onUp, event);
                }
            }
            return;
        }
        boolean down = check.state() == Status.DOWN && (previous == null || previous.state() != Status.DOWN);
        boolean up = check.state() == Status.UP && previous != null && previous.state() != Status.UP;
        if (down && onDown != null && !ignored(event)) {
            submit("down", onDown, event);
        } else if (up && onUp != null) {
            submit("up", onUp, event);
        }
    }

    private boolean ignored(Event event) {
        return event.reason() != null && ignoredDownReasons.contains(event.reason());
    }

    private void submit(String hook, String command, Event event) {
        HookRun run = new HookRun(hook, command, event, timeout);
        try {
            pool.execute(() -> finish(run, run.call()));
        } catch (RejectedExecutionException e) {
            finish(run, HookRun.Outcome.of(Result.dropped, QUEUE + " hooks already waiting"));
        }
    }

    private void finish(HookRun run, HookRun.Outcome outcome) {
        outcomes.record(run.hook(), outcome.result());
        if (outcome.result() != Result.ok) {
            problems.accept("monitor-cli: on-" + run.hook() + " hook for " + run.about() + " " + outcome.detail());
        }
    }

    /** Lets the hooks already started or queued finish (each within its timeout), then returns. */
    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        long queued = pool.getQueue().size() + pool.getActiveCount();
        long rounds = (queued + THREADS - 1) / THREADS;
        pool.awaitTermination(timeout.multipliedBy(Math.max(1, rounds)).toMillis() + 1000, TimeUnit.MILLISECONDS);
    }
}
