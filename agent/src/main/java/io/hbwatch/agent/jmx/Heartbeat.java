package io.hbwatch.agent.jmx;

import io.hbwatch.agent.beat.BeatServer;
import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.watchdog.Watchdog;
import io.hbwatch.protocol.Addresses;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * {@code hbwatch:type=Heartbeat}: reads the live state of the beat server and {@link Health}.
 * Thread-safe: every getter reads volatile state.
 */
public final class Heartbeat implements HeartbeatMXBean {
    /** The MBean's name, as the contract fixes it. */
    public static final String OBJECT_NAME = "hbwatch:type=Heartbeat";

    private static final String[] NONE = new String[0];
    /** Looked up once: each lookup allocates, and Jolokia reads the uptime with every poll. */
    private static final RuntimeMXBean RUNTIME = ManagementFactory.getRuntimeMXBean();

    private final BeatServer beats;
    private final Health health;
    /** Null until the watchdog starts: no deadlocks, no pauses. */
    private volatile Watchdog watchdog;

    private ObjectName registeredAs;

    public Heartbeat(BeatServer beats, Health health) {
        this.beats = Objects.requireNonNull(beats);
        this.health = Objects.requireNonNull(health);
    }

    /** The MBean's {@link ObjectName}. */
    public static ObjectName objectName() {
        try {
            return new ObjectName(OBJECT_NAME);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where {@link #getDeadlockedThreads()}, {@link #getPauseMaxMillis()} and {@link
     * #getPauseMaxTotalMillis()} come from. The watchdog itself rather than suppliers of its
     * figures: method references would spin hidden classes in the host at start-up (see {@code
     * HbThreads}).
     */
    public void watch(Watchdog source) {
        this.watchdog = Objects.requireNonNull(source);
    }

    /**
     * Registers on the platform MBeanServer.
     *
     * @throws InstanceAlreadyExistsException when another copy of the agent already did
     */
    public void register() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName();
        StatusChanges changes = new StatusChanges(health, name);
        server.registerMBean(new HeartbeatView(this, changes), name);
        registeredAs = name;
        beats.afterEachBeat(changes);
    }

    /** Unregisters if registered; never throws. */
    public void unregister() {
        if (registeredAs == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(registeredAs);
        } catch (JMException | RuntimeException e) {
            // shutting down: nothing to do about it
        }
        registeredAs = null;
    }

    @Override
    public String getStatus() {
        Finding f = health.worst();
        return f == null ? Status.UP.name() : f.status().name();
    }

    @Override
    public String getReason() {
        Finding f = health.worst();
        return f == null ? "" : f.reason();
    }

    @Override
    public String getDetail() {
        Finding f = health.worst();
        return f == null || f.detail() == null ? "" : f.detail();
    }

    @Override
    public long getSequence() {
        return beats.sequence();
    }

    @Override
    public long getLastBeat() {
        return beats.lastBeatMillis();
    }

    @Override
    public String getLastBeatTime() {
        long millis = beats.lastBeatMillis();
        return millis == 0 ? "" : LastBeatTime.FORMAT.format(Instant.ofEpochMilli(millis));
    }

    @Override
    public long getIntervalMillis() {
        return beats.intervalMillis();
    }

    @Override
    public long getUptimeMillis() {
        return RUNTIME.getUptime();
    }

    @Override
    public int getSubscribers() {
        return beats.subscribers();
    }

    @Override
    public String[] getDeadlockedThreads() {
        Watchdog w = watchdog;
        if (w == null) {
            return NONE;
        }
        try {
            String[] names = w.deadlockedThreads();
            return names == null ? NONE : names.clone();
        } catch (RuntimeException e) {
            return NONE;
        }
    }

    @Override
    public long getPauseMaxMillis() {
        Watchdog w = watchdog;
        return w == null ? 0 : w.pauseMaxMillis();
    }

    @Override
    public long getPauseMaxTotalMillis() {
        Watchdog w = watchdog;
        return w == null ? 0 : w.pauseMaxTotalMillis();
    }

    @Override
    public int getGcPercent() {
        Watchdog w = watchdog;
        return w == null ? 0 : w.gcPercent();
    }

    @Override
    public long getOutOfMemoryErrors() {
        Watchdog w = watchdog;
        return w == null ? 0 : w.outOfMemoryErrors();
    }

    @Override
    public int getProtocolVersion() {
        return Protocol.VERSION;
    }

    @Override
    public String getInstance() {
        return beats.instance();
    }

    @Override
    public long getPid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public String getHeartbeatHost() {
        InetSocketAddress a = beats.address();
        return a == null ? "" : Addresses.host(a.getAddress());
    }

    @Override
    public int getHeartbeatPort() {
        InetSocketAddress a = beats.address();
        return a == null ? -1 : a.getPort();
    }

    @Override
    public String ping(String nonce) {
        return nonce;
    }

    /** A holder, so that the JDK's formatter loads on the first read, not at the agent's start. */
    private static final class LastBeatTime {
        static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());
    }
}
