package io.hbwatch.monitor.jmx;

import io.hbwatch.monitor.beat.Beat;
import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.Locale;

/**
 * Turns the answers of the Heartbeat MBean into checks: UP when the nonce echoes and
 * {@code Sequence} advances, DEGRADED or DOWN when the MBean's {@code Status} says so, DOWN with
 * {@code stall} when {@code Sequence} stands still for three beat intervals although Jolokia
 * answers (the JVM serves HTTP but its beat thread is stuck), and a restart when {@code Instance}
 * changes or {@code Sequence} goes back.
 *
 * <p>Pure and not thread-safe: one job's thread feeds it, with times from {@link System#nanoTime()}.
 */
public final class JmxTracker {
    /** Subject of every jmx result: the JVM behind the endpoint. */
    public static final String SUBJECT = "vm";
    /** Beat intervals without a new {@code Sequence} before the beat thread counts as stuck. */
    static final int STUCK_INTERVALS = 3;

    private final long fallbackIntervalMs;
    private long lastSequence = -1;
    private String lastInstance;
    private long advancedAtNanos;
    private long lastUptimeMs = -1;
    private boolean clockReset = true;

    /** @param fallbackIntervalMs the beat interval to assume when the MBean does not give one */
    public JmxTracker(long fallbackIntervalMs) {
        this.fallbackIntervalMs = fallbackIntervalMs;
    }

    /** The check for one answer of the Heartbeat MBean to {@code ping(nonce)}. */
    public Check reading(HeartbeatReading r, String nonce, long nowNanos) {
        return reading(r, nonce, nowNanos, OwnStall.NONE);
    }

    /** The monitor's own stalls, as far as a reading needs them. */
    @FunctionalInterface
    public interface OwnStall {
        OwnStall NONE = (from, now) -> Long.MIN_VALUE;

        /**
         * The end of the latest stall of the monitor that overlaps {@code [fromNanos, nowNanos]},
         * {@code nowNanos} or later while one goes on, or {@link Long#MIN_VALUE} when none does.
         */
        long overlaps(long fromNanos, long nowNanos);
    }

    /**
     * The check for one answer, where the time {@code Sequence} has stood still does not count a
     * stall of the monitor's own: an answer the agent sent just before the monitor was stopped,
     * read once it runs again, shows the {@code Sequence} of seconds ago, and the beat thread that
     * sent it is not stuck. The time starts again at the stall's end.
     */
    public Check reading(HeartbeatReading r, String nonce, long nowNanos, OwnStall stalls) {
        long stallEnd = stalls.overlaps(advancedAtNanos, nowNanos);
        if (stallEnd != Long.MIN_VALUE && !clockReset) {
            advancedAtNanos = stallEnd - nowNanos > 0 ? nowNanos : stallEnd;
        }
        if (!nonce.equals(r.echo())) {
            return Check.down(SUBJECT, Reason.PROTOCOL, "ping(" + nonce + ") answered '" + r.echo() + "'");
        }
        boolean restart = lastSequence >= 0
                && (r.sequence() < lastSequence
                        || (lastInstance != null && r.instance() != null && !lastInstance.equals(r.instance())));
        String restartNote = restart
                ? String.format(Locale.ROOT, "restarted (Sequence %d after %d); ", r.sequence(), lastSequence)
                : "";
        if (restart || clockReset || r.sequence() != lastSequence) {
            advancedAtNanos = nowNanos;
            clockReset = false;
        }
        lastSequence = r.sequence();
        lastInstance = r.instance();

        // A peer's number: one out of range (it would overflow the product below) counts as absent.
        long intervalMs =
                r.intervalMs() > 0 && r.intervalMs() <= Beat.MAX_INTERVAL_MS ? r.intervalMs() : fallbackIntervalMs;
        long stillMs = (nowNanos - advancedAtNanos) / 1_000_000;
        Check check;
        if (stillMs >= STUCK_INTERVALS * intervalMs) {
            check = Check.down(
                    SUBJECT,
                    Reason.STALL,
                    restartNote
                            + String.format(
                                    Locale.ROOT,
                                    "Sequence stuck at %d for %d ms (%d beat intervals) while Jolokia answers: "
                                            + "the agent's beat thread is stuck",
                                    r.sequence(),
                                    stillMs,
                                    stillMs / intervalMs));
        } else {
            Status status = parse(r.status());
            String detail = restartNote
                    + String.format(
                            Locale.ROOT, "ping echoed in %.3f ms, Sequence %d", r.rttNanos() / 1e6, r.sequence());
            if (status == Status.UP) {
                check = Check.up(SUBJECT, detail, r.rttNanos());
            } else {
                String why = r.detail() == null || r.detail().isEmpty() ? "" : ": " + r.detail();
                check = new Check(
                        SUBJECT,
                        status,
                        r.reason() == null ? Reason.HTTP : r.reason(),
                        "the MBean says " + status + why + "; " + detail,
                        r.rttNanos(),
                        false);
            }
        }
        check = check.from(r.instance(), r.pid());
        return restart ? check.asNotable() : check;
    }

    /** The check for one {@code Uptime} read from a JVM without the agent. */
    public Check uptime(long uptimeMs, long rttNanos) {
        boolean restart = lastUptimeMs >= 0 && uptimeMs < lastUptimeMs;
        lastUptimeMs = uptimeMs;
        Check check = Check.up(
                SUBJECT,
                String.format(
                        Locale.ROOT,
                        "%sUptime %d ms, read in %.3f ms",
                        restart ? "restarted; " : "",
                        uptimeMs,
                        rttNanos / 1e6),
                rttNanos);
        return restart ? check.asNotable() : check;
    }

    /**
     * Notes a failed check: the time {@code Sequence} has stood still starts again with the next
     * answer (a JVM that was paused is not stuck the moment it answers), while a restart meanwhile
     * is still seen.
     */
    public void failed() {
        clockReset = true;
    }

    private static Status parse(String s) {
        if (s == null) {
            return Status.UP;
        }
        try {
            return Status.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Status.DEGRADED;
        }
    }
}
