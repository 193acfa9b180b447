package io.hbwatch.monitor.event;

import io.hbwatch.monitor.diagnosis.Diagnosis;
import io.hbwatch.protocol.Status;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the checks of every job into events: prints each change of state (the first result counts
 * as one; a change of reason too), every check under {@code --verbose}, and keeps the counts for
 * the summary and the exit code.
 *
 * <p>Thread-safe: jobs report from their own threads; calls are serialized so lines never mix.
 */
public final class Reporter {
    private final String target;
    private final Output output;
    private final boolean verbose;
    private final Clock clock;
    private final Map<String, Stats> stats = new LinkedHashMap<>();
    private boolean closed;

    /** @param jobs the names of the jobs that will report, in the order the summary lists them */
    public Reporter(List<String> jobs, String target, Output output, boolean verbose, Clock clock) {
        this.target = target;
        this.output = output;
        this.verbose = verbose;
        this.clock = clock;
        for (String job : jobs) {
            stats.put(job, new Stats());
        }
    }

    /** Records one check of {@code job}; prints it if it changes the state. Ignored once closed. */
    public synchronized void report(String job, Check check) {
        if (closed) {
            return;
        }
        Stats s = Objects.requireNonNull(stats.get(job), job);
        Check previous = s.last;
        boolean change = previous == null
                || previous.state() != check.state()
                || !Objects.equals(previous.reason(), check.reason())
                || check.notable();
        s.add(check);
        if (change || verbose) {
            Check shown = change && stats.size() > 1 ? Diagnosis.explain(job, check, lastChecks()) : check;
            output.event(
                    new Event(
                            clock.instant(),
                            job,
                            target,
                            shown.subject(),
                            shown.state(),
                            shown.reason(),
                            shown.detail()),
                    change);
        }
    }

    private Map<String, Check> lastChecks() {
        Map<String, Check> last = new LinkedHashMap<>();
        stats.forEach((job, s) -> {
            if (s.last != null) {
                last.put(job, s.last);
            }
        });
        return last;
    }

    /** Prints the summary and ignores any later report. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        StringBuilder b = new StringBuilder("--- ").append(target).append(" monitor-cli statistics ---");
        stats.forEach((job, s) -> b.append(System.lineSeparator()).append(s.line(job)));
        output.summary(b.toString());
    }

    /**
     * The exit code of a run that ended by {@code --count}: the worst final state (0 UP, 1 DEGRADED,
     * 2 DOWN), or 3 when a job has no result at all.
     */
    public synchronized int exitCode() {
        Status worst = Status.UP;
        for (Stats s : stats.values()) {
            if (s.last == null) {
                return 3;
            }
            worst = Status.worst(worst, s.last.state());
        }
        return switch (worst) {
            case UP -> 0;
            case DEGRADED -> 1;
            case DOWN -> 2;
        };
    }
}
