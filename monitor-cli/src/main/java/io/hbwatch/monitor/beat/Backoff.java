package io.hbwatch.monitor.beat;

import java.time.Duration;

/** Capped exponential backoff between reconnects: 50 ms, 100 ms, 200 ms ... up to the cap. Not thread-safe. */
public final class Backoff {
    private final long firstNanos;
    private final long capNanos;
    private long nextNanos;

    public Backoff(Duration first, Duration cap) {
        this.firstNanos = first.toNanos();
        this.capNanos = cap.toNanos();
        this.nextNanos = firstNanos;
    }

    /** The wait before the next attempt; each call doubles the one after, up to the cap. */
    public Duration next() {
        long wait = nextNanos;
        nextNanos = Math.min(capNanos, nextNanos * 2);
        return Duration.ofNanos(wait);
    }

    /** Starts over after a success. */
    public void reset() {
        nextNanos = firstNanos;
    }
}
