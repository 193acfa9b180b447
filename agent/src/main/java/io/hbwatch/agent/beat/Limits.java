package io.hbwatch.agent.beat;

import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.Keys;

/**
 * What one beat server may spend on its clients, so that no client, nor any number of them, can
 * make it grow: connections served, connections waiting for their first line, how long that wait
 * lasts, and the beats kept for each subscriber. Immutable.
 */
public final class Limits {
    /** Most connections served at once, waiting ones included; positive. */
    final int maxSubscribers;
    /** Most connections waiting for their first line at once; positive. */
    final int maxPending;
    /** How long a first line may take, in milliseconds. */
    final long firstLineTimeoutMs;
    /** Beats kept per subscriber not yet taken by its socket, in bytes; at least one line. */
    final int subscriberBufferBytes;

    public Limits(int maxSubscribers, int maxPending, long firstLineTimeoutMs, int subscriberBufferBytes) {
        if (maxSubscribers < 1 || maxPending < 1 || firstLineTimeoutMs < 0 || subscriberBufferBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxSubscribers = maxSubscribers;
        this.maxPending = maxPending;
        this.firstLineTimeoutMs = firstLineTimeoutMs;
        this.subscriberBufferBytes = subscriberBufferBytes;
    }

    /** The limits the options set: {@code maxSubscribers}, {@code maxPending}, {@code firstLineTimeout}, {@code subscriberBuffer}. */
    public static Limits from(AgentConfig config) {
        return new Limits(
                config.get(Keys.MAX_SUBSCRIBERS),
                config.get(Keys.MAX_PENDING),
                config.get(Keys.FIRST_LINE_TIMEOUT),
                config.get(Keys.SUBSCRIBER_BUFFER));
    }
}
