package io.hbwatch.monitor.event;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Flap detection for one job on one target, as Nagios does it but on time rather than on a count of
 * checks (a heartbeat checks every beat, a poll every interval): a job whose state (UP, DEGRADED,
 * DOWN) changes {@code threshold} times within {@code window} is <em>flapping</em>; it stops once
 * its state has held for a whole window. While it flaps, its events carry {@code
 * "flapping":true} and hooks run only when the flapping starts and when it ends.
 *
 * <p>Defaults: 3 changes in 5 minutes. One outage and its recovery are two changes; a third within
 * five minutes is the same incident coming back, which should page once, not once per change.
 *
 * <p>Not thread-safe: the {@link Reporter} serializes calls.
 */
public final class Flapping {
    /** Default of {@code --flap-threshold}. */
    public static final int DEFAULT_THRESHOLD = 3;
    /** Default of {@code --flap-window}. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    /** What one check did to the flapping. */
    public enum Turn {
        /** Nothing changed: not flapping, or still flapping. */
        NONE,
        /** This check made the job flap. */
        START,
        /** The state held for a whole window: the flapping is over. */
        END
    }

    private final int threshold;
    private final long windowNanos;
    private final ArrayDeque<Long> changes = new ArrayDeque<>();
    private boolean flapping;

    /** @param threshold changes within {@code window} that make the job flap; 0 to never flap */
    public Flapping(int threshold, Duration window) {
        this.threshold = threshold;
        this.windowNanos = window.toNanos();
    }

    /** True while the job flaps. */
    public boolean flapping() {
        return flapping;
    }

    /**
     * One check at {@code nowNanos}.
     *
     * @param changed whether it changed the state (the first result is no change)
     */
    public Turn observe(boolean changed, long nowNanos) {
        if (threshold <= 0) {
            return Turn.NONE;
        }
        while (!changes.isEmpty() && nowNanos - changes.peekFirst() >= windowNanos) {
            changes.pollFirst();
        }
        if (changed) {
            changes.addLast(nowNanos);
            if (!flapping && changes.size() >= threshold) {
                flapping = true;
                return Turn.START;
            }
            return Turn.NONE;
        }
        if (flapping && changes.isEmpty()) {
            flapping = false;
            return Turn.END;
        }
        return Turn.NONE;
    }
}
