package io.hbwatch.monitor.jmx;

/**
 * A check that got no usable answer: nothing listens, no answer in time, an HTTP or Jolokia
 * error. Carries the one-word reason of the contract and one sentence.
 */
public final class ProbeFailure extends Exception {
    private final String reason;
    private final boolean noHeartbeatMBean;

    ProbeFailure(String reason, String detail) {
        this(reason, detail, false);
    }

    ProbeFailure(String reason, String detail, boolean noHeartbeatMBean) {
        super(detail, null, false, false);
        this.reason = reason;
        this.noHeartbeatMBean = noHeartbeatMBean;
    }

    /** One word of {@link io.hbwatch.protocol.Reason}. */
    public String reason() {
        return reason;
    }

    /** True when Jolokia answered but has no {@code hbwatch:type=Heartbeat}: a JVM without the agent. */
    public boolean noHeartbeatMBean() {
        return noHeartbeatMBean;
    }
}
