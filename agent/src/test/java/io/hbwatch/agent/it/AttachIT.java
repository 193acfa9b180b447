package io.hbwatch.agent.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Beats;
import io.hbwatch.testing.Jdks;
import io.hbwatch.testing.apps.DeadlockApp;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar hb-agent.jar attach PID} into running JVMs on Java 17 and 25, and the MBean as
 * JConsole reads it: over the JVM's local JMX connector, reached through the Attach API.
 */
class AttachIT {
    private static final Pattern ATTACHED =
            Pattern.compile("hbwatch: attached to (\\d+); heartbeat on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("io.hbwatch.testing.Jdks#tested")
    void attachLoadsTheAgentOnceAndSaysWhereItListens(int feature) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .java(Jdks.require(feature))
                .withoutAgent()
                .main(SleepApp.class)
                .start()) {
            app.awaitOutput("app: started");
            Result first =
                    attach(app.pid(), "port=0,interval=200ms,jolokia=127.0.0.1:0,registry=" + tmp.resolve("registry"));
            assertEquals(0, first.code, first.toString());
            // the ports it got, Jolokia's too (from the agent's registry entry)
            assertTrue(
                    first.out.matches("(?s).*, Jolokia on http://127\\.0\\.0\\.1:\\d+/jolokia\\R"), first.toString());
            Matcher m = ATTACHED.matcher(first.out);
            assertTrue(m.find(), first.toString());
            int port = Integer.parseInt(m.group(2));
            try (BeatClient c = BeatClient.connect(port, "{}")) {
                var beat = c.next();
                assertEquals(app.pid(), beat.get("pid"));
                assertEquals(200L, beat.get("interval"));
            }

            Result second = attach(app.pid(), "port=0");
            assertEquals(0, second.code, second.toString());
            assertTrue(
                    second.out.startsWith(
                            "hbwatch: already running in " + app.pid() + "; heartbeat on 127.0.0.1:" + port),
                    second.toString());
            assertEquals(1, AgentIT.hbwatchLines(app).size(), app.stderr());
        }
    }

    @Test
    void attachingToNoProcessIsOneLineAndExitCodeOne() throws Exception {
        Result r = attach(2_000_000_000L, "");
        assertEquals(1, r.code, r.toString());
        assertEquals("hbwatch: cannot attach to 2000000000: no such process", r.err.strip(), r.toString());
        assertEquals(1, r.err.lines().count(), r.toString());
    }

    @Test
    void attachingToAProcessThatIsNoJvmSaysSoAtOnce() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "120").start();
        try {
            Result r = attach(sleep.pid(), "");
            assertEquals(1, r.code, r.toString());
            assertTrue(
                    r.err.startsWith("hbwatch: cannot attach to " + sleep.pid() + ": it is not a Java process ("),
                    r.toString());
            assertTrue(r.err.strip().endsWith("sleep)"), r.toString());
            assertEquals(1, r.err.lines().count(), r.toString());
        } finally {
            sleep.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("io.hbwatch.testing.Jdks#tested")
    void theMBeanShowsStatusSequenceAndAnswersPing(int feature) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .java(Jdks.require(feature))
                .agentArgs("interval=100ms")
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
                MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
                ObjectName name = new ObjectName("hbwatch:type=Heartbeat");
                assertEquals("UP", mbeans.getAttribute(name, "Status"));
                assertEquals("", mbeans.getAttribute(name, "Reason"));
                assertEquals(100L, mbeans.getAttribute(name, "IntervalMillis"));
                assertEquals(port, mbeans.getAttribute(name, "HeartbeatPort"));
                assertArrayEquals(new String[0], (String[]) mbeans.getAttribute(name, "DeadlockedThreads"));
                assertTrue((Long) mbeans.getAttribute(name, "UptimeMillis") > 0);
                long seq = (Long) mbeans.getAttribute(name, "Sequence");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> (Long) mbeans.getAttribute(name, "Sequence") > seq + 2);
                long lastBeat = (Long) mbeans.getAttribute(name, "LastBeat");
                assertTrue(Math.abs(System.currentTimeMillis() - lastBeat) < 60_000, "LastBeat " + lastBeat);
                Object echo = mbeans.invoke(name, "ping", new Object[] {"x"}, new String[] {String.class.getName()});
                assertEquals("x", echo);
                try (BeatClient c = BeatClient.connect(port, "{}")) {
                    c.next();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> (Integer) mbeans.getAttribute(name, "Subscribers") == 1);
                }
            } finally {
                vm.detach();
            }
        }
    }

    @Test
    void theMBeanNotifiesEveryChangeOfStatusAndNamesPingsParameter() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=100ms")
                .main(DeadlockApp.class, "lock")
                .start()) {
            app.awaitPorts();
            VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
                MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
                ObjectName name = new ObjectName("hbwatch:type=Heartbeat");

                MBeanInfo info = mbeans.getMBeanInfo(name);
                MBeanOperationInfo ping = Arrays.stream(info.getOperations())
                        .filter(o -> o.getName().equals("ping"))
                        .findFirst()
                        .orElseThrow();
                assertEquals("nonce", ping.getSignature()[0].getName());
                assertEquals(
                        List.of(AttributeChangeNotification.ATTRIBUTE_CHANGE),
                        Arrays.stream(info.getNotifications())
                                .flatMap(n -> Arrays.stream(n.getNotifTypes()))
                                .toList());
                String time = (String) mbeans.getAttribute(name, "LastBeatTime");
                long lastBeat = (Long) mbeans.getAttribute(name, "LastBeat");
                assertTrue(
                        Math.abs(OffsetDateTime.parse(time).toInstant().toEpochMilli() - lastBeat) < 60_000,
                        time + " against " + lastBeat);

                await().atMost(Duration.ofSeconds(20))
                        .until(() -> "deadlock".equals(mbeans.getAttribute(name, "Reason")));
                BlockingQueue<AttributeChangeNotification> seen = new LinkedBlockingQueue<>();
                NotificationListener listener = (n, handback) -> seen.add((AttributeChangeNotification) n);
                mbeans.addNotificationListener(name, listener, null, null);
                Beats.tell(app, "release");

                AttributeChangeNotification up = seen.poll(20, TimeUnit.SECONDS);
                assertNotNull(up, "no notification after the deadlock ended: " + app.stderr());
                assertEquals("Status", up.getAttributeName());
                assertEquals("DEGRADED", up.getOldValue());
                assertEquals("UP", up.getNewValue());
                assertEquals("UP", up.getMessage());
                assertEquals(name, up.getSource());
                mbeans.removeNotificationListener(name, listener);
            } finally {
                vm.detach();
            }
        }
    }

    record Result(int code, String out, String err) {}

    static Result attach(long pid, String options) throws Exception {
        Path out = Files.createTempFile("attach", ".out");
        Path err = Files.createTempFile("attach", ".err");
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of(
                    Jdks.current().toString(),
                    "-jar",
                    AgentJvm.agentJar().toAbsolutePath().toString(),
                    "attach",
                    Long.toString(pid)));
            if (!options.isEmpty()) {
                cmd.add(options);
            }
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("attach did not finish within 60 s");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
