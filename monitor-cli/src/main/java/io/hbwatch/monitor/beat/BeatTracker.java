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
 * tells a pause (beats resume with {@code seq} continuous) from lost beats, and notices a restart
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
    private long connectedNanos;
    private boolean onThisConnection;
    private boolean silent;
    private long deadlineNanos;

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
        silent = false;
        deadlineNanos = now + timeout().toNanos();
        if (phi != null) {
            phi.connected();
        }
    }

    /** A beat arrived at {@code now}. */
    public Check beat(Beat b, long now) {
        boolean restart = last != null && isRestart(last, b);
        boolean resumed = !restart && last != null && onThisConnection && silent;
        String ours;
        if (restart) {
            ours = "restarted: " + restartDetail(last, b);
        } else if (resumed) {
            ours = resumedDetail(last, b, (now - lastNanos) / 1_000_000);
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
            // The agent's own words lead; what the monitor saw (a restart, a pause) follows, without
            // saying twice how long a pause the agent already reports was.
            if (resumed && Reason.PAUSE.equals(reason) && b.seq() == last.seq() + 1) {
                ours = "no beats lost";
            }
            detail = restart || resumed ? theirs + "; " + ours : theirs;
        }
        last = b;
        lastNanos = now;
        onThisConnection = true;
        silent = false;
        deadlineNanos = phi != null
                ? phi.deadlineNanos(now, b.intervalMs())
                : now + timeout().toNanos();
        return new Check(b.subject(), b.status(), reason, detail, -1, restart);
    }

    /** The deadline has passed with no beat: DOWN {@code timeout}; the next deadline is one timeout on. */
    public Check silence(long now) {
        long since = onThisConnection ? lastNanos : connectedNanos;
        long quietMs = (now - since) / 1_000_000;
        String detail = onThisConnection
                ? "no heartbeat for " + quietMs + " ms (the agent announced one every " + last.intervalMs() + " ms"
                        + (phi != null && !silent ? "; " + phi.explain() : "") + "); the connection is open"
                : "connected, but no heartbeat for " + quietMs + " ms";
        silent = true;
        deadlineNanos = now + timeout().toNanos();
        return Check.down(subject(), Reason.TIMEOUT, detail);
    }

    /** The connection failed or ended: DOWN with {@code reason}. */
    public Check disconnected(String reason, String detail) {
        onThisConnection = false;
        return Check.down(subject(), reason, detail);
    }

    /** The seq of the latest beat, or -1 before the first. */
    public long lastSeq() {
        return last == null ? -1 : last.seq();
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
     * "paused 2.4 s, no beats lost" or "silent 2.4 s, 3 beats lost". The pause is the one the agent
     * measured ({@code pauseMaxMs}) when its beats carry it; else the gap between the agent's time
     * stamps (or the arrivals) less one interval, which is a lower bound.
     */
    private static String resumedDetail(Beat before, Beat now, long arrivalGapMs) {
        long lost = now.seq() - before.seq() - 1;
        if (lost == 0) {
            long gapMs = before.timeMs() > 0 && now.timeMs() > 0 ? now.timeMs() - before.timeMs() : arrivalGapMs;
            long pausedMs = now.pauseMaxMs() > 0 ? now.pauseMaxMs() : Math.max(0, gapMs - before.intervalMs());
            return "paused " + seconds(pausedMs) + ", no beats lost";
        }
        return String.format(
                Locale.ROOT,
                "silent %s, then beats resumed at seq %d: %d beats lost",
                seconds(arrivalGapMs),
                now.seq(),
                lost);
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
