package io.hbwatch.monitor.event;

import io.hbwatch.protocol.Status;

/** Counts of one job for the summary: checks, failures, round trips. Guarded by the {@link Reporter}. */
final class Stats {
    long checks;
    long failures;
    long rttCount;
    long rttMinNanos = Long.MAX_VALUE;
    long rttMaxNanos;
    double rttSumNanos;
    long rttLastNanos = -1;
    /** When the latest beat arrived ({@link System#nanoTime()}), -1 before the first. */
    long beatNanos = -1;
    /** Longest pause the beats reported, -1 before the first beat. */
    long pauseMaxMs = -1;

    Check last;
    /** Set by the {@link Reporter} when the watch is declared. */
    Flapping flapping;

    void add(Check c, long nowNanos) {
        checks++;
        if (c.isBeat()) {
            beatNanos = nowNanos;
            pauseMaxMs = Math.max(pauseMaxMs, c.pauseMs());
        }
        if (c.state() != Status.UP) {
            failures++;
        }
        if (c.rttNanos() >= 0) {
            rttCount++;
            rttMinNanos = Math.min(rttMinNanos, c.rttNanos());
            rttMaxNanos = Math.max(rttMaxNanos, c.rttNanos());
            rttSumNanos += c.rttNanos();
            rttLastNanos = c.rttNanos();
        }
        last = c;
    }

    /** One line like ping's: {@code ping: 5 checks, 0 failures (0%), rtt min/avg/max = ... ms, now UP}. */
    String line(String job) {
        StringBuilder b =
                new StringBuilder(job).append(": ").append(checks).append(checks == 1 ? " check, " : " checks, ");
        b.append(failures).append(failures == 1 ? " failure" : " failures");
        if (checks > 0) {
            b.append(" (").append(Math.round(100.0 * failures / checks)).append("%)");
        }
        if (rttCount > 0) {
            b.append(String.format(
                    java.util.Locale.ROOT,
                    ", rtt min/avg/max = %.3f/%.3f/%.3f ms",
                    rttMinNanos / 1e6,
                    rttSumNanos / rttCount / 1e6,
                    rttMaxNanos / 1e6));
        }
        b.append(last == null ? ", " : ", now ").append(finalState());
        return b.toString();
    }

    /** The last state with its reason ({@code DOWN (refused)}), or {@code no result}. */
    String finalState() {
        if (last == null) {
            return "no result";
        }
        return last.reason() == null ? last.state().toString() : last.state() + " (" + last.reason() + ")";
    }
}
