package io.hbwatch.monitor.event;

import io.hbwatch.monitor.diagnosis.Diagnosis;
import io.hbwatch.protocol.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the checks of every job on every target into events: prints each change of state (the
 * first result counts as one; a change of reason too), every check under {@code --verbose}, keeps
 * the counts for the summary and the exit code, and passes each check on to the {@link Listener}s.
 *
 * <p>Thread-safe: jobs report from their own threads; calls are serialized so lines never mix.
 */
public final class Reporter {
    private volatile boolean internalError;

    private final Output output;
    private final boolean verbose;
    private final Clock clock;
    /** watch -> job -> counts, in the order the watches and their jobs were given. */
    private final Map<String, Map<String, Stats>> stats = new LinkedHashMap<>();
    /** watch -> the target its events name. */
    private final Map<String, String> targets = new LinkedHashMap<>();
    /** watch -> what its jobs have seen, for the diagnosis of its events. */
    private final Map<String, Diagnosis> diagnoses = new LinkedHashMap<>();

    private final List<Listener> listeners = new ArrayList<>();
    private boolean closed;
    private int flapThreshold = Flapping.DEFAULT_THRESHOLD;
    private Duration flapWindow = Flapping.DEFAULT_WINDOW;
    /** Watches no longer watched: a check of theirs still under way is dropped. */
    private final Set<String> gone = new HashSet<>();
    /** Watches whose roads reach two JVMs, said once each. */
    private final Set<String> clashesSaid = new HashSet<>();

    /** A reporter for targets declared with {@link #target}. */
    public Reporter(Output output, boolean verbose, Clock clock) {
        this.output = output;
        this.verbose = verbose;
        this.clock = clock;
    }

    /** A reporter for one target and its jobs, in the order the summary lists them. */
    public Reporter(List<String> jobs, String target, Output output, boolean verbose, Clock clock) {
        this(output, verbose, clock);
        target(target, jobs);
    }

    /** Declares {@code target} with the names of its jobs, in the order the summary lists them. */
    public void target(String target, List<String> jobs) {
        watch(target, target, jobs);
    }

    /**
     * Declares a watch of {@code target} (its key unique in the run: {@code 10.0.0.5:7777 --pid nginx}
     * and {@code 10.0.0.5:7777 --pid sshd} are two) with the names of its jobs, in the order the
     * summary lists them.
     */
    public synchronized void watch(String key, String target, List<String> jobs) {
        gone.remove(key);
        targets.put(key, target);
        Map<String, Stats> byJob = stats.computeIfAbsent(key, t -> new LinkedHashMap<>());
        for (String job : jobs) {
            byJob.computeIfAbsent(job, j -> {
                Stats s = new Stats();
                s.flapping = new Flapping(flapThreshold, flapWindow);
                return s;
            });
        }
    }

    /**
     * Flap detection for the watches declared after this call ({@code --flap-threshold}, {@code
     * --flap-window}); {@code threshold} 0 turns it off.
     */
    public synchronized void flapping(int threshold, Duration window) {
        this.flapThreshold = threshold;
        this.flapWindow = window;
    }

    /** Adds a listener that sees every later check. */
    public synchronized void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Records one check of {@code job} on the only target. */
    public void report(String job, Check check) {
        String only;
        synchronized (this) {
            only = stats.keySet().iterator().next();
        }
        report(only, job, check);
    }

    /** Records one check of {@code job} of watch {@code key}; prints it if it changes the state. Ignored once closed. */
    public synchronized void report(String key, String job, Check check) {
        if (closed || gone.contains(key)) {
            return;
        }
        Map<String, Stats> byJob = Objects.requireNonNull(stats.get(key), key);
        String target = targets.get(key);
        Stats s = Objects.requireNonNull(byJob.get(job), job);
        long now = System.nanoTime();
        // Evidence from the other roads is kept, and used, only where a target has more than one:
        // a fleet of heartbeat-only targets skips it on every beat.
        Diagnosis diagnosis = byJob.size() > 1 ? diagnoses.computeIfAbsent(key, k -> new Diagnosis()) : null;
        if (diagnosis != null) {
            check = diagnosis.classify(job, check);
        }
        Check previous = s.last;
        boolean stateChange = previous != null && previous.state() != check.state();
        Flapping.Turn turn = s.flapping.observe(stateChange, now);
        boolean change = previous == null
                || stateChange
                || !Objects.equals(previous.reason(), check.reason())
                || check.notable()
                || turn != Flapping.Turn.NONE;
        s.add(check, now);
        if (diagnosis != null) {
            diagnosis.record(job, check, now);
            String clash = diagnosis.clash();
            if (clash != null && clashesSaid.add(key)) {
                output.warn("monitor-cli: " + target + ": " + clash);
            }
        }
        Event event = null;
        if (change || verbose) {
            Check shown = change && diagnosis != null ? diagnosis.explain(job, check, now) : check;
            Boolean flapping = turn == Flapping.Turn.END ? Boolean.FALSE : s.flapping.flapping() ? Boolean.TRUE : null;
            Event e = new Event(
                    clock.instant(),
                    job,
                    target,
                    shown.subject(),
                    shown.state(),
                    shown.reason(),
                    shown.detail(),
                    flapping);
            output.event(e, change);
            event = change ? e : null;
        }
        for (Listener l : listeners) {
            l.onCheck(target, job, check, previous, event);
        }
    }

    /**
     * Stops reporting the watch {@code key}: one line with the last state of each of its jobs
     * ({@code monitor-cli: no longer watching h:1 (removed from fleet.txt); last: hb UP, ping UP}),
     * then it leaves the summary, the exit code and the listeners' series.
     *
     * @param why what ended it, in parentheses after the key
     */
    public synchronized void unwatch(String key, String why) {
        Map<String, Stats> byJob = stats.remove(key);
        String target = targets.remove(key);
        diagnoses.remove(key);
        if (byJob == null) {
            return;
        }
        gone.add(key);
        StringBuilder b = new StringBuilder("monitor-cli: no longer watching ")
                .append(key)
                .append(" (")
                .append(why)
                .append("); last: ");
        List<String> last = new ArrayList<>();
        byJob.forEach((job, s) -> last.add(job + " " + s.finalState()));
        b.append(String.join(", ", last));
        output.note(b.toString());
        if (!targets.containsValue(target)) {
            for (Listener l : listeners) {
                l.onUnwatch(target);
            }
        }
    }

    /**
     * Prints the summary and ignores any later report: for one target, a block like ping's
     * statistics; for a fleet, one aligned line per target and job, so that a hundred targets take
     * a hundred lines.
     */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        output.summary(stats.size() == 1 ? block() : table());
        if (output.holdsForPlugin()) {
            output.plugin(pluginLine());
        }
    }

    /** The run as a monitoring plugin's first line ({@link PluginLine}). */
    public synchronized String pluginLine() {
        return PluginLine.of(stats, exitCode(), System.nanoTime());
    }

    private String block() {
        StringBuilder b = new StringBuilder();
        stats.forEach((target, byJob) -> {
            b.append("--- ").append(target).append(" monitor-cli statistics ---");
            byJob.forEach((job, s) -> b.append(System.lineSeparator()).append(s.line(job)));
        });
        return b.toString();
    }

    private String table() {
        int targetWidth = "TARGET".length();
        int jobWidth = "JOB".length();
        for (Map.Entry<String, Map<String, Stats>> e : stats.entrySet()) {
            targetWidth = Math.max(targetWidth, e.getKey().length());
            for (String job : e.getValue().keySet()) {
                jobWidth = Math.max(jobWidth, job.length());
            }
        }
        String row = "%-" + targetWidth + "s  %-" + jobWidth + "s  %8s  %8s  %s";
        StringBuilder b = new StringBuilder("--- monitor-cli statistics ---")
                .append(System.lineSeparator())
                .append(String.format(java.util.Locale.ROOT, row, "TARGET", "JOB", "CHECKS", "FAILURES", "STATE"));
        stats.forEach((target, byJob) -> byJob.forEach((job, s) -> b.append(System.lineSeparator())
                .append(String.format(java.util.Locale.ROOT, row, target, job, s.checks, s.failures, s.finalState()))));
        return b.toString();
    }

    /**
     * The exit code of a run that ended by {@code --count}: the worst final state over every target
     * (0 UP, 1 DEGRADED, 2 DOWN), or 3 when a job has no result at all.
     */
    /** Marks the run as having met a bug of its own: its exit code is then 3, however it ends. */
    public void internalError() {
        internalError = true;
    }

    /** Whether {@link #internalError()} was called. */
    public boolean failedInternally() {
        return internalError;
    }

    public synchronized int exitCode() {
        if (internalError) {
            return 3;
        }
        Status worst = Status.UP;
        for (Map<String, Stats> byJob : stats.values()) {
            for (Stats s : byJob.values()) {
                if (s.last == null) {
                    return 3;
                }
                worst = Status.worst(worst, s.last.state());
            }
        }
        return switch (worst) {
            case UP -> 0;
            case DEGRADED -> 1;
            case DOWN -> 2;
        };
    }
}
