package io.hbwatch.agent.jmx;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationEmitter;
import javax.management.StandardEmitterMBean;

/**
 * The {@link HeartbeatMXBean} as JConsole shows it: with a description for the MBean, each
 * attribute and {@code ping}, the parameter of {@code ping} named {@code nonce} (plain MXBean
 * introspection would call it {@code p0}), and the notifications of {@link StatusChanges}.
 */
final class HeartbeatView extends StandardEmitterMBean {
    HeartbeatView(HeartbeatMXBean implementation, NotificationEmitter emitter) {
        super(implementation, HeartbeatMXBean.class, true, emitter);
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        return "hbwatch: the liveness of this JVM, as its heartbeat reports it";
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        switch (info.getName()) {
            case "Status":
                return "UP, DEGRADED or DOWN: the status the beats report";
            case "Reason":
                return "Why the status is not UP, one word; empty when UP";
            case "Detail":
                return "What is wrong, one sentence; empty when UP";
            case "Sequence":
                return "Number of the latest beat; counts up once per interval";
            case "LastBeat":
                return "Time of the latest beat, epoch milliseconds; 0 before the first";
            case "LastBeatTime":
                return "Time of the latest beat, ISO-8601 in the JVM's time zone; empty before the first";
            case "IntervalMillis":
                return "Time between beats, milliseconds";
            case "UptimeMillis":
                return "Uptime of the JVM, milliseconds";
            case "Subscribers":
                return "Connections receiving beats now";
            case "DeadlockedThreads":
                return "Threads caught in a deadlock, one line each";
            case "PauseMaxMillis":
                return "Longest pause of the JVM in about the last beat interval, milliseconds";
            case "PauseMaxTotalMillis":
                return "Longest pause of the JVM since the agent started, milliseconds";
            case "GcPercent":
                return "Share of the last GC window spent collecting, percent";
            case "OutOfMemoryErrors":
                return "OutOfMemoryErrors seen since the agent started";
            case "ProtocolVersion":
                return "Version of the heartbeat protocol";
            case "Instance":
                return "Random id of this agent run, as beats carry it";
            case "Pid":
                return "Process id of this JVM";
            case "HeartbeatHost":
                return "Address the heartbeat stream listens on; empty when it does not";
            case "HeartbeatPort":
                return "Port the heartbeat stream listens on; -1 when it does not";
            default:
                return super.getDescription(info);
        }
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        return "ping".equals(info.getName())
                ? "Returns nonce: proof that the JVM answers a request end to end"
                : super.getDescription(info);
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return "ping".equals(op.getName()) && sequence == 0 ? "nonce" : super.getParameterName(op, param, sequence);
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return "ping".equals(op.getName()) && sequence == 0
                ? "Any string; returned as it is"
                : super.getDescription(op, param, sequence);
    }
}
