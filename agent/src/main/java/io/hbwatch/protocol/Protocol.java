package io.hbwatch.protocol;

/**
 * Constants of the heartbeat stream, protocol v1: one UTF-8 JSON object per line, at most
 * {@link #MAX_LINE_BYTES} bytes including the newline. The full description is
 * {@code docs/PROTOCOL.md}.
 */
public final class Protocol {
    /** The protocol version that beats announce in {@link #F_VERSION}. */
    public static final int VERSION = 1;
    /** Longest line either side may send, newline included. */
    public static final int MAX_LINE_BYTES = 4096;

    /** Subject of a beat about the JVM the agent runs in. */
    public static final String SUBJECT_VM = "vm";
    /** Subject of a beat about the agent's host, in standalone mode. */
    public static final String SUBJECT_HOST = "host";
    /** Prefix of a subject that is an OS process named by PID: {@code pid:1234}. */
    public static final String SUBJECT_PID_PREFIX = "pid:";
    /** Prefix of a subject that is an OS process named by name: {@code name:chrome}. */
    public static final String SUBJECT_NAME_PREFIX = "name:";

    // Fields of the client's optional first line.
    public static final String F_PID = "pid";

    // Fields every beat carries.
    public static final String F_VERSION = "v";
    public static final String F_SEQ = "seq";
    public static final String F_TIME = "time";
    public static final String F_INTERVAL = "interval";
    public static final String F_SUBJECT = "subject";
    public static final String F_STATUS = "status";
    public static final String F_REASON = "reason";
    public static final String F_DETAIL = "detail";
    /** Identifies one run of the agent: a monitor that sees it change knows the process restarted. */
    public static final String F_INSTANCE = "instance";

    // Fields of an error line, sent once before the server closes the connection.
    public static final String F_ERROR = "error";

    private Protocol() {}
}
