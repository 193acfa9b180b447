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

    /**
     * How long the server waits for the client's optional first line before it picks the default
     * subject, in milliseconds.
     */
    public static final long FIRST_LINE_TIMEOUT_MS = 500;

    // Fields of the client's optional first line.
    public static final String F_PID = "pid";
    /**
     * First line, and every beat sent on that connection: a subscriber's fresh nonce, which the
     * agent echoes in each beat so that a signed beat is bound to one connection.
     */
    public static final String F_NONCE = "nonce";
    /** First line: with a secret, the subscriber's proof that it knows it ({@code BeatSignature#proof}). */
    public static final String F_PROOF = "proof";

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

    // Fields of beats about a JVM (subject vm).
    /** OS process id of the watched process (vm, pid and name subjects). */
    public static final String F_PROCESS_ID = "pid";
    /** JVM uptime in milliseconds. */
    public static final String F_UPTIME = "uptime";
    /** JVM implementation name, such as {@code OpenJDK 64-Bit Server VM}. */
    public static final String F_JVM = "jvm";
    /** Java runtime version, such as {@code 17.0.15+6}. */
    public static final String F_JVM_VERSION = "jvmVersion";
    /** Live threads. */
    public static final String F_THREADS = "threads";
    /** Heap in use, in bytes. */
    public static final String F_HEAP_USED = "heapUsed";
    /** Most heap the JVM will use, in bytes, or -1 when it has no limit. */
    public static final String F_HEAP_MAX = "heapMax";

    // Fields the watchdog adds to beats about a JVM (subject vm).
    /** Longest JVM pause in the current and the previous beat interval, in milliseconds. */
    public static final String F_PAUSE_MAX_MS = "pauseMaxMs";
    /** Longest JVM pause since the agent started, in milliseconds. */
    public static final String F_PAUSE_MAX_TOTAL_MS = "pauseMaxTotalMs";
    /** Share of the last {@code gcWindow} spent in stop-the-world garbage collection, in percent. */
    public static final String F_GC_PERCENT = "gcPercent";
    /** {@code OutOfMemoryError}s seen since the agent started, only once there has been one. */
    public static final String F_OOM_COUNT = "oomCount";
    /** Names of deadlocked threads, only while there are some. */
    public static final String F_DEADLOCKED = "deadlocked";

    // Fields of beats about the host (subject host, standalone).
    /** Host name. */
    public static final String F_HOST = "host";
    /** Processors available. */
    public static final String F_CPUS = "cpus";
    /** System load average over the last minute, or -1 when the OS does not tell. */
    public static final String F_LOAD = "load";

    // Fields of beats about a process found by name.
    /** How many running processes match the name. */
    public static final String F_COUNT = "count";

    // Fields of an error line, sent once before the server closes the connection.
    public static final String F_ERROR = "error";

    private Protocol() {}
}
