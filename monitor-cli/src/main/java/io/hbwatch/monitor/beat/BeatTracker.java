package io.hbwatch.monitor.beat;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The heartbeat job's state machine, free of I/O so that tests can drive it with made-up times:
 * it turns beats, silences and lost connections into checks, keeps the deadline of the next beat,
 * tells what ended a silence from the agent's own report (a pause it measured, a collection, a quota)
 * and what was lost, and notices a restart
 * (another {@code instance}, another {@code pid}, or {@code seq} going back).
 *
 * <p>Times are {@link System#nanoTime()} values. Not thread-safe: the job's thread owns it.
 */
public final class BeatTracker {
    /** Announced interval assumed before the first beat. */
    static final long DEFAULT_INTERVAL_MS = 1000;
    /** The timeout is this many announced intervals unless {@code --timeout} is given. */
    static final int INTERVALS_PER_TIMEOUT = 3;

    private final String requestedSubject;
    private final Duration fixedTimeout;
    private final PhiAccrual phi;
    private Beat last;
    private long lastNanos;
    /** When the latest beat of any kind arrived on this connection, fresh or stale. */
    private long lastArrivalNanos;
    /**
     * The smallest lag seen on this connection: arrival (monitor's clock, ms) less the beat's {@code
     * time} (agent's clock): the clocks' offset plus the usual delay; {@link Long#MAX_VALUE} before one.
     */
    private long lagBaseMs = Long.MAX_VALUE;

    private long connectedNanos;
    private boolean onThisConnection;
    private boolean silent;
    private long deadlineNanos;
    /** The detail of the agent's {@code shutdown} beat while no beat has come since; else null. */
    private String departed;

    /**
     * @param requestedSubject the subject before the first beat names it ({@code vm}, {@code pid:1}...)
     * @param fixedTimeout {@code --timeout}, or null for three announced intervals
     */
    public BeatTracker(String requestedSubject, Duration fixedTimeout) {
        this(requestedSubject, fixedTimeout, null);
    }

    /**
     * @param phi when not null, the deadline after each beat is where phi reaches its threshold
     *     ({@code --detector phi}); the timeout still bounds the wait for the first beat and repeats
     *     a silence's DOWN
     */
    public BeatTracker(String requestedSubject, Duration fixedTimeout, PhiAccrual phi) {
        this.requestedSubject = requestedSubject;
        this.fixedTimeout = fixedTimeout;
        this.phi = phi;
    }

    /** The silence after which the stream is DOWN with {@code timeout}. */
    public Duration timeout() {
        if (fixedTimeout != null) {
            return fixedTimeout;
        }
        long interval = last == null ? DEFAULT_INTERVAL_MS : last.intervalMs();
        return Duration.ofMillis(INTERVALS_PER_TIMEOUT * interval);
    }

    /** When {@link #silence} is due if no beat comes first. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** The subject of the latest beat, else the one asked for. */
    public String subject() {
        return last == null ? requestedSubject : last.subject();
    }

    /** A new connection is open: the deadline starts now, and a jump in {@code seq} is no loss. */
    public void connected(long now) {
        connectedNanos = now;
        onThisConnection = false;
        lagBaseMs = Long.MAX_VALUE;
        deadlineNanos = now + timeout().toNanos();
        if (phi != null) {
            phi.connected();
        }
    }

    /**
     * A fresh connection, opened because the old one fell silent, spoke first and replaces it: the
     * silence goes on until its beat, which {@link #beat} then reports as the end of the silence.
     */
    public void replaced(long now) {
        connectedNanos = now;
        onThisConnection = false;
        lagBaseMs = Long.MAX_VALUE;
        if (phi != null) {
            phi.connected();
        }
    }

    /** Whether the stream is silent: its deadline passed with no beat since. */
    public boolean silent() {
        return silent;
    }

    /** When the silence the next deadline would report began: the latest beat, or the connection. */
    public long quietSinceNanos() {
        return onThisConnection || silent ? lastNanos : connectedNanos;
    }

    /**
     * The monitor itself did not run until {@code stallEndNanos}: a silence is counted from then,
     * so the deadline moves to a full timeout after it.
     */
    public void deferPast(long stallEndNanos) {
        long later = stallEndNanos + timeout().toNanos();
        if (later - deadlineNanos > 0) {
            deadlineNanos = later;
        }
    }

    /**
     * Whether {@code b}, arriving at {@code now}, is stale: sent long ago and held up on the way (a
     * healed partition delivers the beats the agent's kernel kept), so no evidence of life now. It is
     * when its lag (arrival less its {@code time}) exceeds the connection's usual lag by more than the
     * timeout and it ends a silence or comes in a burst. A lag that grows while beats come at their
     * pace is the agent's clock stepping back: it becomes the new usual. Beats without {@code time}
     * are never stale.
     */
    private boolean stale(Beat b, long now) {
        if (b.timeMs() <= 0) {
            return false;
        }
        long lagMs = now / 1_000_000 - b.timeMs();
        if (lagBaseMs == Long.MAX_VALUE || lagMs < lagBaseMs) {
            lagBaseMs = lagMs;
            return false;
        }
        if (lagMs - lagBaseMs <= timeout().toMillis()) {
            return false;
        }
        boolean burst = (now - lastArrivalNanos) / 1_000_000 < b.intervalMs() / 2;
        if (silent || burst) {
            return true;
        }
        lagBaseMs = lagMs; // at its pace, only later: the agent's clock stepped back
        return false;
    }

    /**
     * A beat arrived at {@code now}. Returns its check, or null for a stale beat (see {@link
     * #stale}), which is no evidence either way: the silence goes on.
     */
    public Check beat(Beat b, long now) {
        boolean isStale = stale(b, now);
        lastArrivalNanos = now;
        if (isStale && last != null && !isRestart(last, b)) {
            return null;
        }
        boolean restart = last != null && isRestart(last, b);
        boolean resumed = !restart && last != null && silent;
        String ours;
        if (restart) {
            ours = "restarted: " + restartDetail(last, b);
        } else if (resumed) {
            ours = resumedDetail(last, b, (now - lastNanos) / 1_000_000, onThisConnection);
        } else if (last == null) {
            ours = "first beat: seq " + b.seq() + ", every " + b.intervalMs() + " ms";
        } else if (!onThisConnection) {
            ours = "reconnected: seq " + b.seq();
        } else {
            ours = "beat seq " + b.seq();
        }
        String reason = null;
        String detail = ours;
        if (b.status() != Status.UP) {
            // A beat that is not UP must name its reason; one that does not breaks the protocol.
            reason = b.reason() != null ? b.reason() : Reason.PROTOCOL;
            String theirs = b.detail() != null
                    ? b.detail()
                    : b.reason() != null
                            ? "the agent reports " + b.status() + " (" + reason + ")"
                            : "the agent reports " + b.status() + " without a reason";
            // The agent's own words lead and name the cause; what the monitor saw (a restart, the
            // silence) follows, without saying twice how long a pause the agent reports was.
            if (resumed) {
                ours = silenceDetail(last, b, (now - lastNanos) / 1_000_000, onThisConnection);
            }
            detail = restart || resumed ? theirs + "; " + ours : theirs;
        }
        departed = Reason.SHUTDOWN.equals(reason) ? detail : null;
        last = b;
        lastNanos = now;
        onThisConnection = true;
        silent = false;
        deadlineNanos = phi != null
                ? phi.deadlineNanos(now, b.intervalMs())
                : now + timeout().toNanos();
        return new Check(
                b.subject(),
                b.status(),
                reason,
                detail,
                -1,
                restart,
                b.instance(),
                b.pid(),
                Math.max(0, b.pauseMaxMs()));
    }

    /** The deadline has passed with no beat: DOWN {@code timeout}; the next deadline is one timeout on. */
    public Check silence(long now) {
        if (departed != null) {
            return Check.down(subject(), Reason.SHUTDOWN, departed + "; no beat since");
        }
        long since = quietSinceNanos();
        long quietMs = (now - since) / 1_000_000;
        String detail = onThisConnection || (silent && last != null)
                ? "no heartbeat for " + quietMs + " ms (every " + last.intervalMs() + " ms announced"
                        + (phi != null && !silent ? "; " + phi.explain() : "") + "): frozen, paused or starved, or cut "
                        + "off; the connection is open"
                : "connected, but no heartbeat for " + quietMs + " ms";
        silent = true;
        deadlineNanos = now + timeout().toNanos();
        return Check.down(subject(), Reason.TIMEOUT, detail);
    }

    /**
     * The connection failed or ended: DOWN with {@code reason}, or with {@code shutdown} after the
     * agent said the JVM is exiting on purpose (its port then closes and refuses: one stop, not a
     * crash after it).
     */
    public Check disconnected(String reason, String detail) {
        onThisConnection = false;
        if (departed != null) {
            return Check.down(subject(), Reason.SHUTDOWN, departed + "; then: " + detail);
        }
        return Check.down(subject(), reason, detail);
    }

    /** The seq of the latest beat, or -1 before the first. */
    public long lastSeq() {
        return last == null ? -1 : last.seq();
    }

    /**
     * What is wrong when {@code b} numbers itself before the latest beat of the same run of the
     * agent (the same {@code instance}): a recording replayed, or a copy of the agent; null when
     * nothing is. A restarted agent (a new instance) starts again from 1 of right.
     */
    public String wentBack(Beat b) {
        if (last == null || last.instance() == null || !last.instance().equals(b.instance()) || b.seq() >= last.seq()) {
            return null;
        }
        return "seq went back from " + last.seq() + " to " + b.seq() + " within one run of the agent (instance "
                + b.instance() + "): a replayed recording, or a copy of this agent";
    }

    static boolean isRestart(Beat before, Beat now) {
        if (before.instance() != null && now.instance() != null) {
            return !before.instance().equals(now.instance());
        }
        if (before.pid() != null && now.pid() != null) {
            return !before.pid().equals(now.pid());
        }
        return now.seq() < before.seq();
    }

    private static String restartDetail(Beat before, Beat now) {
        if (before.pid() != null && now.pid() != null && !Objects.equals(before.pid(), now.pid())) {
            return "a new process (pid " + before.pid() + " -> " + now.pid() + ")";
        }
        if (before.instance() != null && now.instance() != null) {
            return "a new agent instance, seq " + now.seq();
        }
        return "seq went back from " + before.seq() + " to " + now.seq();
    }

    /**
     * The end of a silence when the agent's beat is UP: how long it lasted, what the agent measured
     * of its own JVM, and what was lost. "paused 2.4 s" only when the agent measured that pause
     * ({@code pauseMaxMs}); a silence the agent's JVM did not pause for was on the way (the network,
     * or a connection the agent dropped), and the words say so instead of inventing a pause.
     */
    private static String resumedDetail(Beat before, Beat now, long silentMs, boolean sameConnection) {
        String measured;
        if (now.pauseMaxMs() >= now.intervalMs()) {
            measured = "the agent measured a pause of " + seconds(now.pauseMaxMs());
        } else if (now.pauseMaxMs() >= 0) {
            measured = "the agent measured no pause in its JVM (the longest " + now.pauseMaxMs()
                    + " ms), so the beats were held up on the way";
        } else {
            measured = "the agent did not say whether its JVM paused";
        }
        return "beats resumed after " + seconds(silentMs) + " of silence: " + measured + ", "
                + lost(before, now, sameConnection);
    }

    /** The end of a silence when the agent's beat names its own cause: the silence and the loss only. */
    private static String silenceDetail(Beat before, Beat now, long silentMs, boolean sameConnection) {
        return "beats resumed after " + seconds(silentMs) + " of silence, " + lost(before, now, sameConnection);
    }

    private static String lost(Beat before, Beat now, boolean sameConnection) {
        long lost = now.seq() - before.seq() - 1;
        String where = sameConnection ? "" : " on a new connection";
        if (lost <= 0) {
            return "no beats lost" + where;
        }
        return lost + (lost == 1 ? " beat" : " beats") + " lost" + where + " (seq " + before.seq() + " to " + now.seq()
                + ")";
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
