package io.hbwatch.monitor.diagnosis;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Combines what several jobs see on one target into the event's detail ({@code --job all}): ping
 * answers but the port refuses means the process is gone; ping answers and the stream is open but
 * silent means the JVM is frozen; ping fails too means the host or the network is down; a silent
 * stream while Jolokia answers with a {@code Sequence} that stands still means the beat thread is
 * stuck; the heartbeat failing while Jolokia still answers (or the reverse) means the JVM runs and
 * one road fails.
 *
 * <p>Evidence that the other road lives must be fresh: the other job's latest UP counts only if
 * that success began after this job's trouble did. On a frozen or killed JVM the job that notices
 * first still holds the other's UP from before the freeze; that UP proves nothing, and the detail
 * says so instead of naming a cause it cannot know.
 *
 * <p>Not thread-safe: the caller serializes {@link #record} and {@link #explain} (the reporter does).
 */
public final class Diagnosis {
    /** Failures that are the absence of an answer: they began when the road went quiet. */
    private static final Set<String> ABSENCES =
            Set.of(Reason.TIMEOUT, Reason.REFUSED, Reason.CLOSED, Reason.UNREACHABLE);

    /**
     * Failures of the road itself. Any other reason is the agent's verdict on its subject ({@code
     * deadlock}, {@code exited}, ...), which the road carried well: the other road has nothing to add.
     */
    private static final Set<String> ROAD_FAILURES = Set.of(
            Reason.TIMEOUT,
            Reason.REFUSED,
            Reason.CLOSED,
            Reason.UNREACHABLE,
            Reason.AUTH,
            Reason.HTTP,
            Reason.PROTOCOL);

    private final Map<String, Evidence> jobs = new HashMap<>();
    /** Whether the heartbeat and Jolokia reach two different JVMs, as last seen. */
    private boolean clash;

    /**
     * Records one result of {@code job}; call it for every check, in order, before {@link #explain}.
     *
     * @param nowNanos when the result came, a {@link System#nanoTime()} reading
     */
    public void record(String job, Check check, long nowNanos) {
        jobs.computeIfAbsent(job, j -> new Evidence()).record(check, nowNanos);
        Evidence hb = jobs.get("hb");
        Evidence jmx = jobs.get("jmx");
        clash = hb != null
                && jmx != null
                && hb.instance != null
                && jmx.instance != null
                && !hb.instance.equals(jmx.instance);
    }

    /**
     * When the heartbeat and Jolokia reached two different JVMs (another JVM holds the Jolokia port
     * this one could not open, say), one line that says which process each road reached; else null.
     * The heartbeat's is the target: its port is the one the user named.
     */
    public String clash() {
        if (!clash) {
            return null;
        }
        Evidence hb = jobs.get("hb");
        Evidence jmx = jobs.get("jmx");
        return "the heartbeat reaches " + process(hb) + " but Jolokia reaches " + process(jmx)
                + ", another JVM: its answers are reported but not used as evidence about the target";
    }

    private static String process(Evidence e) {
        return (e.pid == null ? "" : "pid " + e.pid + ", ") + "instance " + e.instance;
    }

    /**
     * The check as it should count: a road that goes quiet after the heartbeat said the JVM is
     * exiting on purpose is part of that stop ({@code shutdown}), not a crash of its own, so that a
     * deploy does not page through Jolokia either. Else {@code check} itself.
     */
    public Check classify(String job, Check check) {
        if (job.equals("hb")
                || job.equals("ping")
                || check.state() != Status.DOWN
                || !ABSENCES.contains(check.reason())) {
            return check;
        }
        Check hb = latest("hb");
        if (hb == null || hb.state() != Status.DOWN || !Reason.SHUTDOWN.equals(hb.reason()) || clash) {
            return check;
        }
        return new Check(
                check.subject(),
                Status.DOWN,
                Reason.SHUTDOWN,
                check.detail() + "; the heartbeat's last beat said the JVM is exiting on purpose",
                check.rttNanos(),
                check.notable(),
                check.instance(),
                check.pid(),
                check.pauseMs());
    }

    /**
     * Returns {@code check} with a diagnosis appended to its detail when the other jobs' results
     * explain it, else {@code check} itself.
     *
     * @param nowNanos when the result came, on the same clock as {@link #record}
     */
    public Check explain(String job, Check check, long nowNanos) {
        String why = verdict(job, check, nowNanos);
        return why == null ? check : check.withDetail(check.detail() + "; " + why);
    }

    private String verdict(String job, Check check, long nowNanos) {
        if (clash && job.equals("jmx")) {
            Evidence hb = jobs.get("hb");
            return "this is not the target's JVM: Jolokia reaches " + process(jobs.get("jmx")) + ", the heartbeat "
                    + process(hb);
        }
        if (check.state() != Status.DOWN
                || Reason.UNRESOLVED.equals(check.reason())
                || Reason.SHUTDOWN.equals(check.reason())) {
            return null; // a name without an address says nothing of the host or the network
        }
        if (job.equals("ping")) {
            return "the host or the network is down";
        }
        Check ping = latest("ping");
        if (ping == null) {
            return null;
        }
        if (ping.state() == Status.DOWN) {
            return "ping-echo fails too: the host or the network is down";
        }
        String reason = check.reason() == null ? "" : check.reason();
        Check jmx = latest("jmx");
        if (job.equals("hb")
                && reason.equals(Reason.TIMEOUT)
                && !clash
                && jmx != null
                && jmx.state() == Status.DOWN
                && Reason.STALL.equals(jmx.reason())) {
            return "Jolokia answers but the MBean's Sequence stands still: the JVM runs, the agent's beat thread "
                    + "is stuck";
        }
        String byPing =
                switch (reason) {
                    case Reason.REFUSED, Reason.CLOSED -> "the host answers ping-echo: the process is gone";
                    case Reason.TIMEOUT ->
                        job.equals("hb")
                                ? "the host answers ping-echo and the stream is open but silent: the JVM is frozen, "
                                        + "paused or starved, or the stream is cut"
                                : "the host answers ping-echo: the JVM is frozen, paused or overloaded";
                    default -> null;
                };
        String other = job.equals("hb") ? "jmx" : job.equals("jmx") ? "hb" : null;
        if (other == null
                || clash
                || !ROAD_FAILURES.contains(reason)
                || latest(other) == null
                || latest(other).state() != Status.UP) {
            return byPing; // a jmx stall, say: hb is about to say timeout, and the stall's own detail says it all
        }
        Evidence self = jobs.get(job);
        Evidence road = jobs.get(other);
        if (fresh(reason, self, road, nowNanos)) {
            if (job.equals("hb")) {
                return reason.equals(Reason.TIMEOUT)
                        ? "Jolokia still answers: the JVM runs but its heartbeat has stopped (the agent's beat "
                                + "thread is stuck, or the stream is cut)"
                        : "Jolokia still answers: the JVM runs, only its heartbeat port fails";
            }
            return switch (reason) {
                case Reason.AUTH, Reason.HTTP ->
                    "the heartbeat still beats: the JVM runs, and Jolokia refuses the request (its policy or "
                            + "credentials)";
                case Reason.REFUSED -> "the heartbeat still beats: the JVM runs, but nothing listens on Jolokia's port";
                case Reason.TIMEOUT ->
                    "the heartbeat still beats: the JVM runs, but Jolokia did not answer in time (busy or starved)";
                default -> "the heartbeat still beats: the JVM runs, only its Jolokia road fails";
            };
        }
        long ms = road.msSinceUp(nowNanos);
        String stale = job.equals("hb")
                ? "Jolokia has not answered since either, its last answer " + ms + " ms ago"
                : "no beat since either, the last one " + ms + " ms ago";
        return byPing == null ? stale + ": not conclusive yet" : byPing + " (" + stale + ")";
    }

    /**
     * Whether {@code other}'s latest success proves the JVM lives despite this job's failure. For a
     * silence or a refusal it must have begun after this job's trouble did: after this job's next
     * success was due, or after its first failure if that came sooner. For a road that answered
     * wrongly (credentials, HTTP, protocol) the JVM was there to answer, so the other road must
     * merely not be overdue.
     */
    static boolean fresh(String reason, Evidence self, Evidence other, long nowNanos) {
        if (!other.everUp) {
            return false;
        }
        if (ABSENCES.contains(reason)) {
            long troubleSince = Math.min(self.overdueSinceNanos(), self.failingSinceNanos);
            return other.lastUpNanos > troubleSince;
        }
        return other.periodNanos < 0 || nowNanos - other.lastUpNanos <= 2 * other.periodNanos;
    }

    private Check latest(String job) {
        Evidence e = jobs.get(job);
        return e == null ? null : e.last;
    }
}
