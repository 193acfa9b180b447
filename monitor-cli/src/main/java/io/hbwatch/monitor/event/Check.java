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
 */
public record Check(String subject, Status state, String reason, String detail, long rttNanos, boolean notable) {
    public static Check up(String subject, String detail, long rttNanos) {
        return new Check(subject, Status.UP, null, detail, rttNanos, false);
    }

    public static Check down(String subject, String reason, String detail) {
        return new Check(subject, Status.DOWN, reason, detail, -1, false);
    }

    /** The same result, printed as an event even when the state did not change. */
    public Check asNotable() {
        return new Check(subject, state, reason, detail, rttNanos, true);
    }

    /** The same result with another detail. */
    public Check withDetail(String newDetail) {
        return new Check(subject, state, reason, newDetail, rttNanos, notable);
    }
}
