package io.hbwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Beats;
import io.hbwatch.testing.Jdks;
import io.hbwatch.testing.LocalJmx;
import io.hbwatch.testing.apps.HangApp;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Probes in real JVMs: given at start-up and at attach time, read from beats and over JMX. */
class ProbeIT {
    private static final String TARGET = HangApp.class.getName() + "#handle";
    private static final String MBEAN = "hbwatch:type=Probe,name=" + TARGET;
    private static final String OPTIONS = "interval=250ms,watch=" + TARGET + "@500ms";

    @TempDir
    Path tmp;

    static List<Integer> jdks() {
        return Jdks.tested().toList();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void aProbeGivenAtStartUpFindsAHungCallUntilItReturns(int jdk) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .java(Jdks.require(jdk))
                .agentArgs(OPTIONS)
                .main(HangApp.class)
                .start()) {
            hangAndRelease(app, app.awaitPorts().heartbeat());
            // Java 24 and later print four lines on Byte Buddy's first use of sun.misc.Unsafe
            assertFalse(app.stderr().contains("sun.misc.Unsafe"), app.stderr());
        }
    }

    @Test
    void aProbeGivenAtAttachInstrumentsTheLoadedClass() throws Exception {
        try (AgentJvm app =
                AgentJvm.builder(tmp).withoutAgent().main(HangApp.class).start()) {
            app.awaitOutput("app: started"); // HangApp is loaded: the probe must retransform it
            LocalJmx.loadAgent(
                    app.pid(),
                    AgentJvm.agentJar().toAbsolutePath().toString(),
                    "port=0,jolokia=off,portFile=" + app.portFile() + "," + OPTIONS);
            hangAndRelease(app, app.awaitPorts().heartbeat());
        }
    }

    @Test
    void onStallDumpWritesTheThreadsOnceAndTheAppGoesOn() throws Exception {
        Path dumps = tmp.resolve("dumps");
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs(OPTIONS + ",onStall=dump,dumpDir=" + dumps)
                .main(HangApp.class)
                .start()) {
            app.awaitPorts();
            app.awaitOutput("app: started");
            Beats.tell(app, "hang");
            app.awaitOutput("hbwatch: stall: thread dump written to " + dumps);
            try (Stream<Path> files = Files.list(dumps)) {
                List<Path> written = files.toList();
                assertEquals(1, written.size(), written.toString());
                assertTrue(Files.readString(written.get(0)).contains("\"hang-worker\""));
            }
            assertTrue(
                    app.stderr().contains("hbwatch: stall: " + TARGET + " in thread \"hang-worker\" for "),
                    app.stderr());
            Beats.tell(app, "release");
            app.awaitOutput("app: returned 42");
            assertTrue(app.process().isAlive());
        }
    }

    private static void hangAndRelease(AgentJvm app, int port) throws Exception {
        app.awaitOutput("app: started");
        try (BeatClient beats = BeatClient.connect(port);
                LocalJmx jmx = LocalJmx.connect(app.pid())) {
            assertEquals(true, jmx.get(MBEAN, "Instrumented"), String.valueOf(jmx.get(MBEAN, "State")));
            Beats.await(beats, 12, Beats.status("UP"));
            Beats.tell(app, "hang");
            app.awaitOutput("app: hanging");
            // 500 ms deadline, scanned every 125 ms, beats every 250 ms
            Map<String, Object> stalled = Beats.await(beats, 16, Beats.degraded("stall"));
            String detail = (String) stalled.get("detail");
            assertTrue(detail.startsWith(TARGET + " in thread \"hang-worker\" for "), detail);
            assertEquals(List.of(TARGET + " in \"hang-worker\""), stalled.get("stalled"));
            assertEquals(1, jmx.get(MBEAN, "InFlight"));
            String stack = (String) jmx.get(MBEAN, "StalledStack");
            assertTrue(stack.contains(HangApp.class.getName() + ".handle"), stack);

            Beats.tell(app, "release");
            app.awaitOutput("app: returned 42"); // the probe changed nothing the method returns
            Map<String, Object> up = Beats.await(beats, 12, Beats.status("UP"));
            assertFalse(up.containsKey("stalled"), up.toString());
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> (Long) jmx.get(MBEAN, "Calls") == 1L);
            assertTrue((Long) jmx.get(MBEAN, "LongestMillis") >= 500);
        }
    }

    @Test
    void byteBuddyIsLoadedOnlyWhenAProbeIsAskedFor() throws Exception {
        assertFalse(loadsByteBuddy("interval=250ms"), "without watch");
        assertTrue(loadsByteBuddy("interval=250ms,watch=" + TARGET + "@1s"), "with watch");
    }

    private boolean loadsByteBuddy(String options) throws Exception {
        Path log = tmp.resolve("classes-" + System.nanoTime() + ".log");
        try (AgentJvm app = AgentJvm.builder(tmp)
                .jvmArgs("-Xlog:class+load=info:file=" + log)
                .agentArgs(options)
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            try (BeatClient beats = BeatClient.connect(port)) {
                Beats.await(beats, 12, b -> b.containsKey("pauseMaxTotalMs"));
            }
            String loaded = Files.readString(log);
            assertTrue(loaded.contains(io.hbwatch.agent.watchdog.Watchdog.class.getName()), "the watchdog ran");
            return loaded.contains("io.hbwatch.shaded.bytebuddy.");
        }
    }
}
