package io.hbwatch.monitor.job;

import java.time.Duration;

/**
 * When a job that checks at a fixed rate (ping, jmx) checks next: fixed rate, not fixed delay, so
 * a slow check does not stretch the interval, and a late one does not cause a burst to catch up.
 * Not thread-safe: one job's thread.
 */
final class FixedRate {
    private final long intervalNanos;
    private long next = System.nanoTime();

    FixedRate(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** The wait from now until the next check is due; zero when it is already late. */
    Duration untilNext() {
        next += intervalNanos;
        long now = System.nanoTime();
        if (next < now) {
            next = now;
        }
        return Duration.ofNanos(next - now);
    }
}
