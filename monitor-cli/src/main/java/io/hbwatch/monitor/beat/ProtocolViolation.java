package io.hbwatch.monitor.beat;

/** The peer does not speak the heartbeat protocol: bad JSON, an oversized line, a wrong version. */
public final class ProtocolViolation extends Exception {
    private static final long serialVersionUID = 1L;

    private final String agentMessage;
    private boolean refusedProof;

    /** @param message one phrase for an event's detail, e.g. "a line longer than 4096 bytes" */
    public ProtocolViolation(String message) {
        this(message, null);
    }

    private ProtocolViolation(String message, String agentMessage) {
        super(message);
        this.agentMessage = agentMessage;
    }

    /** The agent's own {@code {"error":"..."}} line: it refused the first line, or it drops the connection. */
    static ProtocolViolation fromAgent(String agentMessage) {
        return new ProtocolViolation("the agent answered: " + agentMessage, agentMessage);
    }

    static ProtocolViolation authFromAgent(String agentMessage) {
        ProtocolViolation v = fromAgent(agentMessage);
        v.refusedProof = true;
        return v;
    }

    /** True when the agent sent an error line, which it does before it closes the connection. */
    public boolean fromAgent() {
        return agentMessage != null;
    }

    /** Whether the agent refused this monitor's proof of the secret (its error line's reason {@code auth}). */
    public boolean refusedProof() {
        return refusedProof;
    }

    /** The agent's error line's text; null unless {@link #fromAgent()}. */
    public String agentMessage() {
        return agentMessage;
    }
}
