package io.hbwatch.agent.subject;

import io.hbwatch.protocol.JsonLine;

/**
 * What a heartbeat stream reports on: the agent's JVM, its host, or an OS process. The beat
 * server asks a subject once per interval, however many subscribers watch it.
 *
 * <p>Called only from the beat thread; implementations need not be thread-safe, but must be
 * cheap and must not block for long: every subscriber's stream waits on them.
 */
public interface Subject {
    /** The wire name: {@code vm}, {@code host}, {@code pid:1234} or {@code name:chrome}. */
    String name();

    /**
     * Writes {@code status}, where not UP {@code reason} and {@code detail}, then the subject's
     * own fields into {@code beat}. Never throws.
     */
    void writeTo(JsonLine beat);
}
