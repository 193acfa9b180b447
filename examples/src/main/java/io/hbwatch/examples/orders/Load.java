package io.hbwatch.examples.orders;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Steady synthetic traffic: {@code perSecond} orders a second submitted from a daemon thread named
 * {@code orders-load}, so that probes and heartbeats have work to watch without a client.
 */
public final class Load implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orders-load");
        t.setDaemon(true);
        return t;
    });

    /** Starts submitting; {@code perSecond} must be between 1 and 1000. */
    public Load(Workers workers, int perSecond) {
        if (perSecond < 1 || perSecond > 1000) {
            throw new IllegalArgumentException("load must be 1 to 1000 orders a second, was " + perSecond);
        }
        long periodMicros = 1_000_000L / perSecond;
        timer.scheduleAtFixedRate(
                () -> {
                    try {
                        workers.submit("load");
                    } catch (IllegalStateException full) {
                        // A hung or deadlocked service fills its queue; that is the point, not an error.
                    }
                },
                periodMicros,
                periodMicros,
                TimeUnit.MICROSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
