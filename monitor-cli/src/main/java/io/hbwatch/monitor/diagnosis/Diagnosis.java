package io.hbwatch.monitor.diagnosis;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.Map;

/**
 * Combines what several jobs see on one target into the event's detail ({@code --job all}): ping
 * answers but the port refuses means the process is gone; ping answers and the stream is open but
 * silent means the JVM is frozen; ping fails too means the host or the network is down; a silent
 * stream while Jolokia answers with a {@code Sequence} that stands still means the beat thread is
 * stuck.
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
     * The heartbeat's silence explained by Jolokia: when jmx last saw Jolokia answer with a
     * {@code Sequence} that stands still ({@code stall}), the JVM runs and serves HTTP, and it is
     * the agent's beat thread that is stuck. Only a failure explains a failure here: a latest UP
     * of the other job may be an interval old, and would mislead just when the JVM froze or died.
     */
    private static String hbAndJmx(String job, String reason, Map<String, Check> latest) {
        Check jmx = latest.get("jmx");
        if (job.equals("hb")
                && reason.equals(Reason.TIMEOUT)
                && jmx != null
                && jmx.state() == Status.DOWN
                && Reason.STALL.equals(jmx.reason())) {
            return "Jolokia answers but the MBean's Sequence stands still: the JVM runs, the agent's beat thread "
                    + "is stuck";
        }
        return null;
    }
}
