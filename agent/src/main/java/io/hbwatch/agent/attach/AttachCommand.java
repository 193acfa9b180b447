package io.hbwatch.agent.attach;

import com.sun.tools.attach.VirtualMachine;
import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.jmx.Heartbeat;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code java -jar hb-agent.jar attach PID [key=value,...]}: loads this jar into a running JVM of
 * the same user through the Attach API, then reads where it listens from its MBean over the JVM's
 * local JMX connector (the way JConsole connects, which also starts that connector if it was not
 * running). Attaching to a JVM that already runs the agent says so and changes nothing.
 *
 * <pre>
 * java -jar hb-agent.jar attach 12345
 * java -jar hb-agent.jar attach 12345 port=0,interval=500ms
 * </pre>
 */
public final class AttachCommand {
    /** How long to wait for the loaded agent's MBean. */
    private static final long START_TIMEOUT_MS = 15_000;

    private final PrintStream out;
    private final PrintStream err;

    public AttachCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * @param args {@code PID} and optionally the agent options
     * @return 0 when the agent runs in the target (newly or already), 1 when attaching failed, 2
     *     for a usage error
     */
    public int run(String[] args) {
        if (args.length < 1 || args.length > 2) {
            err.println("hbwatch: usage: java -jar hb-agent.jar attach PID [key=value,...]");
            return 2;
        }
        String pid = args[0];
        if (!pid.matches("[0-9]+")) {
            err.println("hbwatch: attach: '" + pid + "' is not a process id");
            return 2;
        }
        String options = args.length > 1 ? args[1] : "";
        AgentConfig config = ConfigLoader.fromAgentArgs(options);
        if (!config.problems().isEmpty()) {
            err.println("hbwatch: attach: " + config.problems().get(0));
            return 2;
        }
        String notAJvm = notAJvm(Long.parseLong(pid));
        if (notAJvm != null) {
            err.println("hbwatch: cannot attach to " + pid + ": " + notAJvm);
            return 1;
        }
        try {
            return attach(pid, options, config);
        } catch (NoClassDefFoundError e) {
            err.println("hbwatch: attach needs a JDK with the jdk.attach module; this is a JRE: "
                    + System.getProperty("java.home"));
            return 1;
        } catch (Exception e) {
            String m = e.getMessage();
            err.println("hbwatch: cannot attach to " + pid + ": "
                    + (m == null || m.isEmpty() ? e.getClass().getSimpleName() : m));
            return 1;
        }
    }

    private int attach(String pid, String options, AgentConfig config) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            String jmxUrl = vm.startLocalManagementAgent();
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl))) {
                MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
                ObjectName name = Heartbeat.objectName();
                if (mbeans.isRegistered(name)) {
                    out.println("hbwatch: already running in " + pid + "; " + where(mbeans, name)
                            + "; the options given now are ignored");
                    return 0;
                }
                vm.loadAgent(ownJar().toString(), options);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
                while (!mbeans.isRegistered(name)) {
                    if (System.nanoTime() - deadline > 0) {
                        err.println("hbwatch: loaded into " + pid + " but its MBean did not appear within "
                                + START_TIMEOUT_MS / 1000 + " s; see that process's stderr");
                        return 1;
                    }
                    Thread.sleep(50);
                }
                out.println("hbwatch: attached to " + pid + "; " + where(mbeans, name) + jolokia(config, pid));
                return 0;
            }
        } finally {
            vm.detach();
        }
    }

    /**
     * Why {@code pid} cannot be a JVM, said at once rather than after the Attach API's own wait of
     * about ten seconds: no such process, or (on Linux, where {@code /proc/PID/maps} lists what a
     * process has loaded) a process without {@code libjvm}. Null when it may be one.
     */
    static String notAJvm(long pid) {
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return "no such process";
        }
        Path maps = Paths.get("/proc", Long.toString(pid), "maps");
        try (java.io.BufferedReader in =
                java.nio.file.Files.newBufferedReader(maps, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.endsWith("/libjvm.so")) {
                    return null;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null; // not Linux, or not ours to read: let the Attach API say
        }
        String command = process.get().info().command().orElse("");
        return "it is not a Java process" + (command.isEmpty() ? "" : " (" + command + ")");
    }

    /**
     * {@code , Jolokia on URL} as the agent's registry entry tells it (the MBean does not know the
     * port); empty when the registry is off, the entry is not there yet, or Jolokia is off.
     */
    private static String jolokia(AgentConfig config, String pid) {
        java.util.Optional<Path> dir = config.get(io.hbwatch.agent.config.Keys.REGISTRY);
        if (dir == null || dir.isEmpty()) {
            return "";
        }
        Path file = dir.get().resolve(pid + io.hbwatch.protocol.Registry.SUFFIX);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() - deadline < 0) {
            try {
                String url = io.hbwatch.protocol.Registry.Entry.read(file).jolokia();
                return url == null ? ", Jolokia off" : ", Jolokia on " + url;
            } catch (java.io.IOException | io.hbwatch.protocol.JsonParser.JsonException e) {
                try {
                    Thread.sleep(50); // written just after the MBean appears
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return "";
                }
            }
        }
        return "";
    }

    private static String where(MBeanServerConnection mbeans, ObjectName name) throws Exception {
        int port = (Integer) mbeans.getAttribute(name, "HeartbeatPort");
        if (port < 0) {
            return "its heartbeat is not listening (see that process's stderr)";
        }
        String host = (String) mbeans.getAttribute(name, "HeartbeatHost");
        return "heartbeat on " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The jar this class was loaded from: the agent jar to load into the target. */
    private static Path ownJar() throws URISyntaxException {
        return Paths.get(AttachCommand.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toAbsolutePath();
    }
}
