package io.hbwatch.agent;

import io.hbwatch.agent.beat.BeatServer;
import io.hbwatch.agent.beat.Limits;
import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.agent.config.Secret;
import io.hbwatch.agent.config.Values;
import io.hbwatch.agent.health.Exiting;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.http.JolokiaEndpoint;
import io.hbwatch.agent.jmx.Heartbeat;
import io.hbwatch.agent.registry.Registration;
import io.hbwatch.agent.subject.VmSubject;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import io.hbwatch.agent.util.PortFile;
import io.hbwatch.agent.watchdog.Watchdog;
import io.hbwatch.protocol.Addresses;
import io.hbwatch.protocol.Registry;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;

/**
 * Starts and owns the agent's parts inside a host JVM. Runs on the {@code hbwatch-main} daemon
 * thread, never on the thread that called {@code premain}. Each part starts in its own step:
 * whatever fails is reported in one {@code hbwatch:} line and the rest carries on.
 *
 * <p>A part that needs the agent's state takes it from here ({@link #config()}, {@link #health()},
 * {@link #instrumentation()}, {@link #heartbeat()}), registers what it must close with {@link
 * #closeOnExit}, and gets one line in {@link #start}.
 */
public final class AgentRuntime {
    /** Set by the first copy of the agent in this class loader; a second start does nothing. */
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** The agent that started first, once its heartbeat server exists. */
    private static volatile AgentRuntime running;

    private final AgentConfig config;
    private final Instrumentation inst;
    private final boolean attached;
    private final Health health = new Health();
    /** DOWN {@code shutdown} once the shutdown hook runs: the last beat and the MBean say so. */
    private final Exiting exiting = new Exiting();
    /** Closed last-in first-out by the shutdown hook. */
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    private BeatServer beats;
    private Heartbeat heartbeat;
    private volatile Integer jolokiaPort;
    /** The default port that was busy, when the heartbeat or Jolokia took a free one instead; else null. */
    private Integer heartbeatFellBackFrom;

    private Integer jolokiaFellBackFrom;
    private String jolokiaUrl;

    private AgentRuntime(AgentConfig config, Instrumentation inst, boolean attached) {
        this.config = config;
        this.inst = inst;
        this.attached = attached;
    }

    static void start(String agentArgs, Instrumentation inst, boolean attached) {
        try {
            AgentConfig config = ConfigLoader.fromAgentArgs(agentArgs);
            if (!STARTED.get()) { // a second copy changes nothing, not even the look of the lines
                Log.setTimestamps(config.get(Keys.TIMESTAMPS));
            }
            for (String problem : config.problems()) {
                Log.warn(problem);
            }
            if (alreadyRunning()) {
                return; // not even the debug switch: a second copy changes nothing
            }
            Log.setDebug(config.get(Keys.DEBUG));
            AgentRuntime agent = new AgentRuntime(config, inst, attached);
            agent.step(Step.HEARTBEAT);
            agent.step(Step.MBEAN);
            agent.step(Step.JOLOKIA);
            agent.step(Step.WATCHDOG);
            agent.step(Step.PORT_FILE);
            agent.step(Step.REGISTRY);
            agent.announce();
            agent.step(Step.SHUTDOWN_HOOK);
        } catch (Throwable e) {
            Log.warn("agent stopped: " + Log.describe(e));
        }
    }

    /** The effective options. */
    public AgentConfig config() {
        return config;
    }

    /** Where checks and contributors register; read by every VM beat and the MBean. */
    public Health health() {
        return health;
    }

    /** The JVM's instrumentation, as given to {@code premain} or {@code agentmain}. */
    public Instrumentation instrumentation() {
        return inst;
    }

    /** True when loaded into a running JVM ({@code agentmain}), false for {@code -javaagent}. */
    public boolean attached() {
        return attached;
    }

    /** The MBean, for parts that feed it (deadlocked threads); null if it failed to start. */
    public Heartbeat heartbeat() {
        return heartbeat;
    }

    /** Records Jolokia's port for the port file and the start-up line. */
    public void setJolokiaPort(int port) {
        jolokiaPort = port;
    }

    /** Has {@code c} closed by the shutdown hook, after everything started later. */
    public synchronized void closeOnExit(AutoCloseable c) {
        closeables.push(c);
    }

    private void startBeatServer() throws Exception {
        health.register(exiting);
        beats = new BeatServer(
                new VmSubject(health), config.get(Keys.INTERVAL), Limits.from(config), BeatServer.newInstanceId());
        Secret secret = Secret.of(config);
        if (secret != null) {
            beats.signWith(secret.bytes());
        }
        closeOnExit(beats);
        running = this;
        try {
            listen(config.get(Keys.HOST), config.get(Keys.PORT));
        } catch (Exception e) {
            Log.warn("heartbeat: cannot listen on " + config.get(Keys.HOST) + ":" + config.get(Keys.PORT) + ": "
                    + Log.describe(e) + "; the MBean still beats");
        }
        beats.start(); // beats on without a socket, so the MBean's Sequence still shows the JVM alive
    }

    /**
     * Binds the heartbeat port; the default port, when busy (another JVM of the host has it), falls
     * back to a free one, which the announcement and the registry then tell. A port the user chose
     * does not: it is either what they asked for or a warning.
     */
    private void listen(String host, int port) throws IOException {
        try {
            beats.listen(host, port);
        } catch (BindException e) {
            if (!config.isDefault(Keys.PORT) || port == 0) {
                throw e;
            }
            beats.listen(host, 0);
            heartbeatFellBackFrom = port;
        }
    }

    private void registerMBean() throws Exception {
        if (beats == null) {
            return;
        }
        heartbeat = new Heartbeat(beats, health);
        heartbeat.register();
        closeOnExit(new Unregister(heartbeat));
    }

    /** After the MBean, so that Jolokia's first request already finds it. */
    private void startJolokia() {
        try {
            Optional<JolokiaEndpoint> jolokia = JolokiaEndpoint.start(config);
            if (jolokia.isPresent()) {
                closeOnExit(jolokia.get());
                setJolokiaPort(jolokia.get().port());
                jolokiaUrl = jolokia.get().url();
                jolokiaFellBackFrom = jolokia.get().fellBackFrom();
            }
        } catch (JolokiaEndpoint.StartException e) {
            Log.warn(e.getMessage());
        }
    }

    private void startWatchdog() {
        Watchdog watchdog = Watchdog.start(config, health, inst, attached);
        closeOnExit(watchdog);
        if (beats != null) {
            beats.measureLateness(watchdog.pauses());
        }
        if (heartbeat != null) {
            heartbeat.watch(watchdog);
        }
    }

    private void writePortFile() throws Exception {
        Path file = config.get(Keys.PORT_FILE);
        if (file == null) {
            return;
        }
        InetSocketAddress hb = beats == null ? null : beats.address();
        PortFile.write(file, hb == null ? null : hb.getPort(), jolokiaPort);
        closeOnExit(new DeletePortFile(file));
    }

    /** The entry in the registry, for {@code monitor-cli pid:PID} and {@code --local}. */
    private void register() throws Exception {
        java.util.Optional<Path> dir = config.get(Keys.REGISTRY);
        if (dir == null || dir.isEmpty()) {
            return;
        }
        InetSocketAddress hb = beats == null ? null : beats.address();
        String jolokia = jolokiaUrl;
        if (jolokia != null && jolokia.endsWith("/")) {
            jolokia = jolokia.substring(0, jolokia.length() - 1);
        }
        try {
            Registration entry = Registration.register(
                    dir.get(),
                    new Registry.Entry(
                            ProcessHandle.current().pid(),
                            beats == null ? "" : beats.instance(),
                            Registration.startOfThisJvm(),
                            hb == null ? null : Addresses.hostPort(hb),
                            jolokia,
                            Registration.mainOfThisJvm()));
            closeOnExit(entry);
        } catch (java.io.IOException e) {
            // Not fatal: the JVM is still watched by its ports, only not found by pid.
            Log.warn("registry: " + Log.describe(e) + "; monitor-cli pid:"
                    + ProcessHandle.current().pid()
                    + " and --local will not find this JVM (registry=off to say nothing)");
        }
    }

    private void announce() {
        InetSocketAddress hb = beats == null ? null : beats.address();
        StringBuilder line = new StringBuilder();
        line.append(hb == null ? "heartbeat not listening" : "heartbeat on " + hostPort(hb));
        if (heartbeatFellBackFrom != null) {
            line.append(" (").append(heartbeatFellBackFrom).append(" was busy)");
        }
        line.append(" every ").append(Values.formatMs(config.get(Keys.INTERVAL)));
        if (beats != null && beats.signed()) {
            line.append(", signed");
        }
        if (heartbeat != null) {
            line.append(", MBean ").append(Heartbeat.OBJECT_NAME);
        }
        if (jolokiaPort != null) {
            line.append(", Jolokia on port ").append(jolokiaPort);
            if (jolokiaFellBackFrom != null) {
                line.append(" (").append(jolokiaFellBackFrom).append(" was busy)");
            }
        }
        Log.info(line.toString());
    }

    private void addShutdownHook() {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(new CloseAll(this), HbThreads.PREFIX + "shutdown"));
        } catch (IllegalStateException e) {
            closeAll(); // main returned while the agent was starting: the JVM is exiting, tidy up now
        }
    }

    /**
     * The shutdown hook: says why the JVM exits (the MBean's Status, and a last beat to every
     * subscriber) before anything is closed, so that a monitor tells a deploy from a crash.
     */
    private void exit() {
        try {
            String why = Exiting.cause();
            String detail = exiting.exiting(why).detail();
            if (beats != null) {
                beats.close(detail);
            }
        } catch (Throwable e) {
            // the JVM is going down: what is left to close still gets closed
        }
        closeAll();
    }

    private synchronized void closeAll() {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Throwable e) {
                // the JVM is going down: nothing useful to say
            }
        }
    }

    /** Runs one start-up step; a failure is one line and the next step runs. */
    private void step(Step step) {
        try {
            switch (step) {
                case HEARTBEAT:
                    startBeatServer();
                    break;
                case MBEAN:
                    registerMBean();
                    break;
                case JOLOKIA:
                    startJolokia();
                    break;
                case WATCHDOG:
                    startWatchdog();
                    break;
                case PORT_FILE:
                    writePortFile();
                    break;
                case REGISTRY:
                    register();
                    break;
                case SHUTDOWN_HOOK:
                    addShutdownHook();
                    break;
                default:
                    throw new IllegalStateException("no such step " + step);
            }
        } catch (Throwable e) {
            Log.warn(step.what + ": " + Log.describe(e));
        }
    }

    // An enum and named classes rather than method references and lambdas, here as in HbThreads:
    // each of those would spin a hidden class in the host as the agent starts.

    /** The start-up steps, each named as its failure line names it. */
    private enum Step {
        HEARTBEAT("heartbeat"),
        MBEAN("MBean " + Heartbeat.OBJECT_NAME),
        JOLOKIA("jolokia"),
        WATCHDOG("watchdog"),
        PORT_FILE("portFile"),
        REGISTRY("registry"),
        SHUTDOWN_HOOK("shutdown hook");

        final String what;

        Step(String what) {
            this.what = what;
        }
    }

    /** Unregisters the MBean on exit. */
    private static final class Unregister implements AutoCloseable {
        private final Heartbeat mbean;

        Unregister(Heartbeat mbean) {
            this.mbean = mbean;
        }

        @Override
        public void close() {
            mbean.unregister();
        }
    }

    /** Deletes the port file on exit. */
    private static final class DeletePortFile implements AutoCloseable {
        private final Path file;

        DeletePortFile(Path file) {
            this.file = file;
        }

        @Override
        public void close() {
            PortFile.delete(file);
        }
    }

    /** The shutdown hook's task. */
    private static final class CloseAll implements Runnable {
        private final AgentRuntime agent;

        CloseAll(AgentRuntime agent) {
            this.agent = agent;
        }

        @Override
        public void run() {
            agent.exit();
        }
    }

    /**
     * True (after one line) when the agent already runs here: loaded twice by {@code -javaagent},
     * attached again, or another copy of the jar in another class loader (seen by its MBean).
     */
    private static boolean alreadyRunning() {
        boolean again = !STARTED.compareAndSet(false, true);
        String where = "";
        AgentRuntime first = running;
        if (first != null && first.beats.address() != null) {
            where = " (heartbeat on " + hostPort(first.beats.address()) + ")";
        }
        if (!again) {
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                if (server.isRegistered(Heartbeat.objectName())) {
                    again = true;
                    Object host = server.getAttribute(Heartbeat.objectName(), "HeartbeatHost");
                    Object port = server.getAttribute(Heartbeat.objectName(), "HeartbeatPort");
                    where = " (heartbeat on " + host + ":" + port + ")";
                }
            } catch (Exception e) {
                // cannot tell: go on as the first
            }
        }
        if (again) {
            Log.warn("already running in this JVM" + where + "; the new options are ignored");
        }
        return again;
    }

    private static String hostPort(InetSocketAddress a) {
        return Addresses.hostPort(a);
    }
}
