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

    /** A feed of this subject begins: from now on its beats are asked for. */
    default void open() {}

    /**
     * Whether the first beat can be written now; false while the data it needs is being fetched
     * (a process name's first scan), and then the beat server asks again when told.
     */
    default boolean ready() {
        return true;
    }

    /** The feed of this subject ends. */
    default void close() {}
}
