package io.hbwatch.monitor.beat;

/** The peer does not speak the heartbeat protocol: bad JSON, an oversized line, a wrong version. */
public final class ProtocolViolation extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one phrase for an event's detail, e.g. "a line longer than 4096 bytes" */
    public ProtocolViolation(String message) {
        super(message);
    }
}
