package io.hbwatch.agent.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Jdks;
import io.hbwatch.testing.apps.ExitApp;
import io.hbwatch.testing.apps.SleepApp;
import io.hbwatch.testing.apps.ThreadsApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real JVMs with {@code -javaagent:} on the built jar, on Java 17 and Java 25. */
class AgentIT {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("io.hbwatch.testing.Jdks#tested")
    void theJvmBeatsWithItsFigures(int feature) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .java(Jdks.require(feature))
                .agentArgs("interval=200ms")
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            try (BeatClient c = BeatClient.connect(port, "{}")) {
                Map<String, Object> beat = c.next();
                assertEquals("vm", beat.get("subject"));
                assertEquals("UP", beat.get("status"));
                assertEquals(1L, beat.get("v"));
                assertEquals(200L, beat.get("interval"));
                assertEquals(app.pid(), beat.get("pid"));
                assertTrue(((String) beat.get("jvmVersion")).startsWith(Integer.toString(feature)), beat.toString());
                assertTrue((Long) beat.get("threads") > 0);
                assertTrue((Long) beat.get("heapUsed") > 0);
                assertEquals((Long) beat.get("seq") + 1, c.next().get("seq"));
            }
            app.awaitOutput("app: started");
            assertEquals(1, hbwatchLines(app).size(), app.stderr());
            assertTrue(app.stderr().contains("hbwatch: heartbeat on 127.0.0.1:" + port + " every 200ms"));
        }
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("io.hbwatch.testing.Jdks#tested")
    void theJvmExitsWhenMainReturns(int feature) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .java(Jdks.require(feature))
                .main(ExitApp.class)
                .start()) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stderr());
            assertTrue(app.stdout().contains("app: done"));
        }
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("io.hbwatch.testing.Jdks#tested")
    void everyAgentThreadIsADaemonNamedHbwatch(int feature) throws Exception {
        Set<String> without = threads(
                AgentJvm.builder(tmp).java(Jdks.require(feature)).withoutAgent().main(ThreadsApp.class));
        Path portFile = tmp.resolve("threads-ports.json");
        Set<String> with = threads(AgentJvm.builder(tmp)
                .java(Jdks.require(feature))
                .agentArgs("portFile=" + portFile)
                .main(ThreadsApp.class, portFile.toString()));
        List<String> added =
                with.stream().filter(t -> !without.contains(t)).sorted().collect(Collectors.toList());
        assertTrue(added.contains("hbwatch-beat daemon=true"), added.toString());
        for (String t : added) {
            assertTrue(t.startsWith("hbwatch-") && t.endsWith(" daemon=true"), "agent thread " + t);
        }
    }

    @Test
    void afterAPauseSeqJustContinuesWithoutABurst() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=100ms")
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            try (BeatClient c = BeatClient.connect(port, "{}")) {
                c.next();
                long before = (Long) c.next().get("seq");
                app.sigstop();
                Thread.sleep(2000); // the pause under test, not a wait for a result
                app.sigcont();
                long resumedAt = System.nanoTime();
                List<Long> seqs = new java.util.ArrayList<>();
                while (System.nanoTime() - resumedAt < 500_000_000L) {
                    seqs.add((Long) c.next().get("seq"));
                }
                // Beats queued in the socket before the stop may come first; then one per interval.
                assertEquals(before + 1, seqs.get(0), seqs.toString());
                for (int i = 1; i < seqs.size(); i++) {
                    assertEquals(seqs.get(i - 1) + 1, seqs.get(i), seqs.toString());
                }
                assertTrue(seqs.size() < 12, "a burst after the pause: " + seqs);
            }
        }
    }

    @Test
    void badOptionsAreNamedAndTheAgentRunsOnDefaults() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=banana,config=" + tmp.resolve("missing.properties") + ",colour=blue")
                .main(SleepApp.class, "3")
                .start()) {
            int port = app.awaitPorts().heartbeat();
            try (BeatClient c = BeatClient.connect(port, "{}")) {
                assertEquals(1000L, c.next().get("interval"));
            }
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stderr());
            String err = app.stderr();
            assertTrue(err.contains("hbwatch: interval: 'banana' is not a duration"), err);
            assertTrue(err.contains("hbwatch: config: cannot read"), err);
            assertTrue(err.contains("hbwatch: unknown option 'colour' ignored"), err);
            assertTrue(app.stdout().contains("app: done"));
        }
    }

    /**
     * Two JVMs of one host on the default ports: the second takes free ones and says so, and each
     * registers the ports it really has, until it exits.
     */
    @Test
    void aBusyDefaultPortFallsBackToAFreeOneAndTheRegistryTellsTheRealPorts() throws Exception {
        Path registry = tmp.resolve("registry");
        AgentJvm closeLater = null;
        try (AgentJvm first = AgentJvm.builder(tmp)
                .defaultPorts()
                .agentArgs("interval=200ms")
                .main(SleepApp.class)
                .start()) {
            AgentJvm.Ports one = first.awaitPorts();
            AgentJvm second = AgentJvm.builder(tmp)
                    .defaultPorts()
                    .agentArgs("interval=200ms")
                    .main(SleepApp.class, "2")
                    .start();
            closeLater = second;
            AgentJvm.Ports two = second.awaitPorts();
            assertTrue(one.heartbeat() != two.heartbeat() && one.jolokia() != two.jolokia(), one + " " + two);
            // whoever came second found 7777 and 8778 taken (by the other, or by anything else here)
            second.awaitOutput("hbwatch: heartbeat on 127.0.0.1:" + two.heartbeat() + " (7777 was busy)");
            assertTrue(
                    second.stderr().contains("Jolokia on port " + two.jolokia() + " (8778 was busy)"), second.stderr());
            for (AgentJvm app : List.of(first, second)) {
                Path entry = registry.resolve(app.pid() + ".json");
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(entry));
                io.hbwatch.protocol.Registry.Entry e = io.hbwatch.protocol.Registry.Entry.parse(
                        Files.readString(entry).trim());
                AgentJvm.Ports ports = app == first ? one : two;
                assertEquals("127.0.0.1:" + ports.heartbeat(), e.heartbeat());
                assertEquals("http://127.0.0.1:" + ports.jolokia() + "/jolokia", e.jolokia());
                assertEquals(SleepApp.class.getName(), e.main());
                assertTrue(e.live(), e.toString());
            }
            assertEquals(0, second.awaitExit(Duration.ofSeconds(60)), second.stderr());
            assertFalse(Files.exists(registry.resolve(second.pid() + ".json")), "the entry outlived its JVM");
            assertTrue(Files.exists(registry.resolve(first.pid() + ".json")));
        } finally {
            if (closeLater != null) {
                closeLater.close();
            }
        }
    }

    @Test
    void withTimestampsEveryAgentLineStartsWithTheTimeAndItsOffset() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("timestamps=true,colour=blue")
                .main(SleepApp.class, "1")
                .start()) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stderr());
            List<String> lines =
                    app.stderr().lines().filter(l -> l.contains("hbwatch: ")).collect(Collectors.toList());
            assertTrue(lines.size() >= 2, app.stderr()); // the warning and the announcement
            for (String line : lines) {
                assertTrue(
                        line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d hbwatch: .+"),
                        line);
                java.time.OffsetDateTime.parse(line.substring(0, line.indexOf(' ')));
            }
        }
    }

    private static Set<String> threads(AgentJvm.Builder builder) throws Exception {
        try (AgentJvm app = builder.start()) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stderr());
            return app.stdout()
                    .lines()
                    .filter(l -> l.startsWith("thread: "))
                    .map(l -> l.substring("thread: ".length()))
                    .collect(Collectors.toSet());
        }
    }

    /** IPv6 as people write it: {@code [::1]:PORT}, not {@code 0:0:0:0:0:0:0:1:PORT}. */
    @org.junit.jupiter.api.Test
    void anIpv6AddressIsPrintedShortAndInBrackets(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (AgentJvm app = AgentJvm.builder(dir)
                .agentArgs("host=::1,port=0,jolokia=[::1]:0")
                .main(io.hbwatch.testing.apps.SleepApp.class)
                .start()) {
            AgentJvm.Ports ports = app.awaitPorts();
            app.awaitOutput("hbwatch: heartbeat on");
            assertTrue(app.stderr().contains("hbwatch: heartbeat on [::1]:" + ports.heartbeat() + " "), app.stderr());
            // The URL Jolokia reports for itself.
            String version = io.hbwatch.testing.Http.get("http://[::1]:" + ports.jolokia() + "/jolokia/version")
                    .body();
            assertTrue(version.contains("http://[::1]:" + ports.jolokia() + "/jolokia/"), version);
        }
    }

    static List<String> hbwatchLines(AgentJvm app) {
        return app.stderr().lines().filter(l -> l.startsWith("hbwatch:")).collect(Collectors.toList());
    }
}
