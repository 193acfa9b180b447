package io.hbwatch.monitor.diagnosis;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.Map;

/**
 * Combines what several jobs see on one target into the event's detail ({@code --job all}): ping
 * answers but the port refuses means the process is gone; ping answers and the stream is open but
 * silent means the JVM is frozen; ping fails too means the host or the network is down; the
 * heartbeat failing while Jolokia answers (or the reverse) means the JVM lives and one road fails.
 *
 * <p>Stateless; the rules look only at the latest result of each job.
 */
public final class Diagnosis {
    private Diagnosis() {}

    /**
     * Returns {@code check} with a diagnosis appended to its detail when the other jobs' latest
     * results explain it, else {@code check} itself.
     *
     * @param latest the latest result of each job that has one, this check included
     */
    public static Check explain(String job, Check check, Map<String, Check> latest) {
        String why = verdict(job, check, latest);
        return why == null ? check : check.withDetail(check.detail() + "; " + why);
    }

    static String verdict(String job, Check check, Map<String, Check> latest) {
        if (check.state() != Status.DOWN) {
            return null;
        }
        Check ping = latest.get("ping");
        if (job.equals("ping")) {
            return "the host or the network is down";
        }
        if (ping == null) {
            return null;
        }
        if (ping.state() == Status.DOWN) {
            return "ping-echo fails too: the host or the network is down";
        }
        String reason = check.reason() == null ? "" : check.reason();
        String across = hbAndJmx(job, reason, latest);
        if (across != null) {
            return across;
        }
        return switch (reason) {
            case Reason.REFUSED, Reason.CLOSED -> "the host answers ping-echo: the process is gone";
            case Reason.TIMEOUT ->
                job.equals("hb")
                        ? "the host answers ping-echo and the stream is open but silent: the JVM is frozen"
                        : "the host answers ping-echo: the JVM is frozen or overloaded";
            default -> null;
        };
    }

    /**
     * The heartbeat and Jolokia see the same JVM by two roads: when one fails and the other is
     * fine, the JVM lives and the failing road is the story.
     */
    private static String hbAndJmx(String job, String reason, Map<String, Check> latest) {
        Check other = latest.get(job.equals("hb") ? "jmx" : job.equals("jmx") ? "hb" : "");
        if (other == null || other.state() != Status.UP) {
            return null;
        }
        if (job.equals("hb")) {
            return reason.equals(Reason.TIMEOUT)
                    ? "Jolokia still answers: the JVM runs but its heartbeat has stopped (the agent's beat thread "
                            + "is stuck, or the stream is cut)"
                    : "Jolokia still answers: the JVM runs, only its heartbeat port fails";
        }
        return reason.equals(Reason.STALL)
                ? null // hb is about to say timeout; the stall's own detail says it all
                : "the heartbeat still beats: the JVM runs, only Jolokia fails (its port, policy or credentials)";
    }
}
