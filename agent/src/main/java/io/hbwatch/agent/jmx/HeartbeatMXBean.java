package io.hbwatch.agent.jmx;

/**
 * The agent as JConsole, Jolokia and {@code monitor-cli --job jmx} see it: {@code
 * hbwatch:type=Heartbeat} on the platform MBeanServer. An MXBean, so every client sees plain
 * types (String, long, int, String[]). It emits an {@code AttributeChangeNotification} on every
 * change of {@code Status} or {@code Reason} ({@link StatusChanges}).
 */
public interface HeartbeatMXBean {
    /** {@code UP}, {@code DEGRADED} or {@code DOWN}: the JVM's status as its beats report it. */
    String getStatus();

    /** One word from the reason vocabulary, or the empty string when UP. */
    String getReason();

    /** One sentence on what is wrong, or the empty string when UP. */
    String getDetail();

    /** Number of the latest beat; it counts up once per interval even with no subscriber. */
    long getSequence();

    /** Time of the latest beat, epoch milliseconds; 0 before the first. */
    long getLastBeat();

    /** {@link #getLastBeat()} for people: ISO-8601 in the JVM's time zone, the empty string before the first. */
    String getLastBeatTime();

    /** Time between beats, in milliseconds. */
    long getIntervalMillis();

    /** Uptime of the JVM, in milliseconds. */
    long getUptimeMillis();

    /** Connections receiving beats now. */
    int getSubscribers();

    /** Threads caught in a deadlock, one line each; empty when there is none. */
    String[] getDeadlockedThreads();

    /** Longest pause of the JVM in the last beat interval or so, in milliseconds (as beats' {@code pauseMaxMs}). */
    long getPauseMaxMillis();

    /** Longest pause of the JVM since the agent started, in milliseconds (as beats' {@code pauseMaxTotalMs}). */
    long getPauseMaxTotalMillis();

    /** Heartbeat protocol version the stream speaks. */
    int getProtocolVersion();

    /** Random id of this agent run, as beats carry it in {@code instance}. */
    String getInstance();

    /** The JVM's process id, as beats about it carry it in {@code pid}: which JVM a road reached. */
    long getPid();

    /** Address the heartbeat stream listens on, or the empty string when it does not. */
    String getHeartbeatHost();

    /** Port the heartbeat stream listens on, or -1 when it does not. */
    int getHeartbeatPort();

    /** Echoes {@code nonce}: proof that the JVM answers a request end to end. */
    String ping(String nonce);

    /** Share of the last {@code gcWindow} the JVM spent in garbage collection, in percent. */
    int getGcPercent();

    /** {@code OutOfMemoryError}s the agent has seen since it started. */
    long getOutOfMemoryErrors();
}
