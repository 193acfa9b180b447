package io.hbwatch.monitor.event;

import io.hbwatch.protocol.Status;

/**
 * The result of one check by one job: an echo, a beat, a silence, a failed connection. Immutable.
 *
 * @param subject what the result is about: {@code host}, {@code vm}, {@code pid:1234}, {@code name:x}
 * @param state never null
 * @param reason one word of {@link io.hbwatch.protocol.Reason}, null when UP
 * @param detail one human sentence, never null
 * @param rttNanos the round trip of this check in nanoseconds, or {@code -1} when it has none
 * @param notable print this result as an event even if the state did not change (a restart)
 * @param instance the agent instance that answered (beats' {@code instance}, the MBean's {@code
 *     Instance}), null when the check got no answer or the answer did not say
 * @param pid the process id of the JVM that answered, null when unknown
 * @param pauseMs for a check made of a beat: the longest JVM pause the agent reported with it (0
 *     when it reported none); -1 for every other check
 */
public record Check(
        String subject,
        Status state,
        String reason,
        String detail,
        long rttNanos,
        boolean notable,
        String instance,
        String pid,
        long pauseMs) {
    /** A result that is no beat. */
    public Check(
            String subject,
            Status state,
            String reason,
            String detail,
            long rttNanos,
            boolean notable,
            String instance,
            String pid) {
        this(subject, state, reason, detail, rttNanos, notable, instance, pid, -1);
    }

    /** A result that is no beat and does not say which process answered. */
    public Check(String subject, Status state, String reason, String detail, long rttNanos, boolean notable) {
        this(subject, state, reason, detail, rttNanos, notable, null, null);
    }

    /** Whether this result was made of a beat. */
    public boolean isBeat() {
        return pauseMs >= 0;
    }

    public static Check up(String subject, String detail, long rttNanos) {
        return new Check(subject, Status.UP, null, detail, rttNanos, false);
    }

    public static Check down(String subject, String reason, String detail) {
        return new Check(subject, Status.DOWN, reason, detail, -1, false);
    }

    /** The same result, printed as an event even when the state did not change. */
    public Check asNotable() {
        return new Check(subject, state, reason, detail, rttNanos, true, instance, pid, pauseMs);
    }

    /** The same result with another detail. */
    public Check withDetail(String newDetail) {
        return new Check(subject, state, reason, newDetail, rttNanos, notable, instance, pid, pauseMs);
    }

    /** The same result, answered by agent {@code newInstance} in process {@code newPid}. */
    public Check from(String newInstance, String newPid) {
        return new Check(subject, state, reason, detail, rttNanos, notable, newInstance, newPid, pauseMs);
    }
}
