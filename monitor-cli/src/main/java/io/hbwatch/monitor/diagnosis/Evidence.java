package io.hbwatch.monitor.diagnosis;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Status;

/**
 * What the diagnosis remembers of one job: its latest result, when it last succeeded and how often
 * it succeeds. Times are {@link System#nanoTime()} readings (any monotonic origin will do).
 *
 * <p>Not thread-safe: guarded by {@link Diagnosis}' caller.
 */
final class Evidence {
    /** The latest result; null before the first. */
    Check last;
    /** When the latest success began (its probe was sent, or its beat came); valid when {@link #everUp}. */
    long lastUpNanos;

    boolean everUp;
    /** When the current run of DOWN results began; meaningless while the latest result is not DOWN. */
    long failingSinceNanos;
    /** The larger of the last two gaps between successes, or -1 before the second success. */
    long periodNanos = -1;

    private long lastGapNanos = -1;
    /** The agent instance and process id that last answered this road; null until one says. */
    String instance;

    String pid;

    /**
     * Records one result. A success with a round trip is dated when its probe went out, the earliest
     * moment the target can have answered it: an answer that left before a freeze never proves life
     * after it. The period keeps the larger of two gaps so that one burst (beats queued behind a pause)
     * does not make it look shorter than it is.
     */
    void record(Check check, long nowNanos) {
        boolean wasDown = last != null && last.state() == Status.DOWN;
        last = check;
        if (check.instance() != null) {
            instance = check.instance();
            pid = check.pid();
        }
        if (check.state() == Status.DOWN) {
            if (!wasDown) {
                failingSinceNanos = nowNanos;
            }
            return;
        }
        long at = check.rttNanos() >= 0 ? nowNanos - check.rttNanos() : nowNanos;
        if (everUp) {
            long gap = Math.max(0, at - lastUpNanos);
            periodNanos = Math.max(gap, lastGapNanos);
            lastGapNanos = gap;
        }
        lastUpNanos = at;
        everUp = true;
    }

    /**
     * The moment this job's next success was due and did not come: its latest success plus its
     * period; {@link Long#MAX_VALUE} while that is unknown (no success, or only one).
     */
    long overdueSinceNanos() {
        return everUp && periodNanos >= 0 ? lastUpNanos + periodNanos : Long.MAX_VALUE;
    }

    /** Milliseconds since the latest success began, rounded down. */
    long msSinceUp(long nowNanos) {
        return Math.max(0, (nowNanos - lastUpNanos) / 1_000_000);
    }
}
