package io.hbwatch.agent.beat;

import io.hbwatch.agent.subject.Subject;
import io.hbwatch.protocol.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * One subject and everyone watching it: its beat is built once per interval into {@link #line}
 * and copied to each subscriber. Used only on the beat thread.
 */
final class Feed {
    final Subject subject;
    final List<Subscriber> subscribers = new ArrayList<>();
    /** The latest beat, UTF-8, newline included; valid in {@code [0, length)}. */
    final byte[] line = new byte[Protocol.MAX_LINE_BYTES];

    int length;
    /** Length of {@link #line} before its signature and newline, ending with {@code }}. */
    int unsignedLength;
    /** When {@link #line} was built ({@link System#nanoTime()}); 0 before the first. */
    long builtNanos;
    /** Its subscribers wait for its first beat: the subject was not {@link Subject#ready()}. */
    boolean awaitingFirst;

    Feed(Subject subject) {
        this.subject = subject;
    }
}
