package io.hbwatch.protocol;

/**
 * The one-word causes that beats and monitor events carry in {@code reason}. Documented in
 * {@code docs/PROTOCOL.md}; add a word here and there together.
 */
public final class Reason {
    /** Nothing listens on the port: the process is gone. */
    public static final String REFUSED = "refused";
    /** The stream ended or was reset. */
    public static final String CLOSED = "closed";
    /** No beat or no echo in time: frozen, paused or cut off. */
    public static final String TIMEOUT = "timeout";
    /** The host does not answer ping-echo. */
    public static final String UNREACHABLE = "unreachable";
    /** A watched OS process has ended (or its PID now belongs to another process). */
    public static final String EXITED = "exited";
    /** A watched OS process never existed. */
    public static final String NOT_FOUND = "not-found";
    /** A watched OS process is stopped by a signal (SIGSTOP, SIGTSTP). */
    public static final String STOPPED = "stopped";
    /** Threads of the JVM are deadlocked. */
    public static final String DEADLOCK = "deadlock";
    /** A probed method's call is past its deadline. */
    public static final String STALL = "stall";
    /** The JVM stopped running threads for longer than the warning threshold. */
    public static final String PAUSE = "pause";
    /** The JVM spends most of its time collecting garbage, or one collection stopped it long. */
    public static final String GC = "gc";
    /** A memory pool (the old generation, Metaspace, direct buffers) stays nearly full after collections. */
    public static final String HEAP = "heap";
    /** An {@code OutOfMemoryError} was thrown in the JVM. */
    public static final String OOM = "oom";
    /** One of the agent's own threads died or is overdue. */
    public static final String AGENT = "agent";
    /** Open file descriptors are near the process's limit. */
    public static final String FDS = "fds";
    /** Threads are near what the OS allows, or cannot be created. */
    public static final String THREADS = "threads";
    /** A cgroup CPU quota holds the JVM back for much of its time. */
    public static final String THROTTLED = "throttled";
    /** The virtual-thread scheduler is starved: every carrier busy or pinned while virtual threads wait. */
    public static final String CARRIERS = "carriers";
    /** An {@code expect=} probe saw no call of its method complete within its window. */
    public static final String PROGRESS = "progress";
    /**
     * {@code DOWN}: the JVM is exiting on purpose (SIGTERM, {@code System.exit}, {@code main}
     * returned), sent as the last beat before the stream closes; a deploy, not a crash.
     */
    public static final String SHUTDOWN = "shutdown";
    /** Jolokia answered with an HTTP or Jolokia error. */
    public static final String HTTP = "http";
    /** The peer did not speak the protocol (bad JSON, oversized line, wrong version). */
    public static final String PROTOCOL = "protocol";
    /** A beat's signature was missing or wrong. */
    public static final String AUTH = "auth";
    /** The host name could not be resolved. */
    public static final String UNRESOLVED = "unresolved";

    private Reason() {}
}
