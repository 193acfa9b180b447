package io.hbwatch.monitor.event;

import io.hbwatch.monitor.diagnosis.Diagnosis;
import io.hbwatch.protocol.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
    /**
     * watch -> its jobs' counts and what a report needs of it, in the order the watches were given;
     * a report through a {@link Road} looks none of it up.
     */
    private final Map<String, Watched> watches = new LinkedHashMap<>();
    /** target -> how many watches name it, so that the last one's end is told to the listeners. */
    private final Map<String, Integer> watchesOfTarget = new HashMap<>();

    private final List<Listener> listeners = new ArrayList<>();
    private boolean closed;
    private int flapThreshold = Flapping.DEFAULT_THRESHOLD;
    private Duration flapWindow = Flapping.DEFAULT_WINDOW;

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
        Watched w = watches.get(key);
        if (w == null) {
            w = new Watched();
            watches.put(key, w);
        } else {
            watchesOfTarget.merge(w.target, -1, Reporter::sumOrNone);
        }
        w.target = target;
        watchesOfTarget.merge(target, 1, Integer::sum);
        for (String job : jobs) {
            w.byJob.computeIfAbsent(job, j -> {
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
            only = watches.keySet().iterator().next();
        }
        report(only, job, check);
    }

    /** Records one check of {@code job} of watch {@code key}; prints it if it changes the state. Ignored once closed. */
    public void report(String key, String job, Check check) {
        report(road(key, job), check);
    }

    /**
     * The road of {@code job} on the watch {@code key}, declared by {@link #watch}: a job that
     * reports through it on every beat looks up neither its watch nor its counts (at 10,000
     * streams, those look-ups were 6% of the monitor's CPU). Once the watch is {@link
     * #unwatch}ed, the road's reports are dropped, even if the key is watched again.
     *
     * @throws NullPointerException when the watch or its job was never declared
     */
    public synchronized Road road(String key, String job) {
        Watched w = Objects.requireNonNull(watches.get(key), key);
        return new Road(w, job, Objects.requireNonNull(w.byJob.get(job), job));
    }

    /** Records one check through {@code road}; prints it if it changes the state. Ignored once closed or unwatched. */
    public synchronized void report(Road road, Check check) {
        Watched w = road.watch;
        if (closed || w.gone) {
            return;
        }
        String job = road.job;
        String target = w.target;
        Stats s = road.stats;
        long now = System.nanoTime();
        // Evidence from the other roads is kept, and used, only where a target has more than one:
        // a fleet of heartbeat-only targets skips it on every beat.
        Diagnosis diagnosis = null;
        if (w.byJob.size() > 1) {
            if (w.diagnosis == null) {
                w.diagnosis = new Diagnosis();
            }
            diagnosis = w.diagnosis;
        }
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
            if (clash != null && !w.clashSaid) {
                w.clashSaid = true;
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
        Watched w = watches.remove(key);
        if (w == null) {
            return;
        }
        w.gone = true;
        Map<String, Stats> byJob = w.byJob;
        String target = w.target;
        StringBuilder b = new StringBuilder("monitor-cli: no longer watching ")
                .append(key)
                .append(" (")
                .append(why)
                .append("); last: ");
        List<String> last = new ArrayList<>();
        byJob.forEach((job, s) -> last.add(job + " " + s.finalState()));
        b.append(String.join(", ", last));
        output.note(b.toString());
        if (watchesOfTarget.merge(target, -1, Reporter::sumOrNone) == null) {
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
        output.summary(watches.size() == 1 ? block() : table());
        if (output.holdsForPlugin()) {
            output.plugin(pluginLine());
        }
    }

    /** The run as a monitoring plugin's first line ({@link PluginLine}). */
    public synchronized String pluginLine() {
        return PluginLine.of(stats(), exitCode(), System.nanoTime());
    }

    /** watch -> job -> counts, in the order given: for the summary and the exit code, made when asked. */
    private Map<String, Map<String, Stats>> stats() {
        Map<String, Map<String, Stats>> stats = new LinkedHashMap<>();
        watches.forEach((key, w) -> stats.put(key, w.byJob));
        return stats;
    }

    private String block() {
        StringBuilder b = new StringBuilder();
        stats().forEach((target, byJob) -> {
            b.append("--- ").append(target).append(" monitor-cli statistics ---");
            byJob.forEach((job, s) -> b.append(System.lineSeparator()).append(s.line(job)));
        });
        return b.toString();
    }

    private String table() {
        int targetWidth = "TARGET".length();
        int jobWidth = "JOB".length();
        Map<String, Map<String, Stats>> stats = stats();
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
        for (Map<String, Stats> byJob : stats().values()) {
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

    /** {@code a + b}, or null (the entry removed) when that is none. */
    private static Integer sumOrNone(Integer a, Integer b) {
        int sum = a + b;
        return sum > 0 ? sum : null;
    }

    /** What a report needs of one watch. Guarded by the reporter. */
    private static final class Watched {
        /** job -> counts, in the order the jobs were given. */
        final Map<String, Stats> byJob = new LinkedHashMap<>();

        String target;
        /** What its jobs have seen, for the diagnosis of its events; made once it has two jobs. */
        Diagnosis diagnosis;
        /** Its roads reach two JVMs, and that was said. */
        boolean clashSaid;
        /** Unwatched: a check of its jobs still under way is dropped. */
        boolean gone;
    }

    /** One job of one watch, as {@link #road} found it: what {@link #report(Road, Check)} is given. */
    public static final class Road {
        private final Watched watch;
        private final String job;
        private final Stats stats;

        private Road(Watched watch, String job, Stats stats) {
            this.watch = watch;
            this.job = job;
            this.stats = stats;
        }
    }
}
