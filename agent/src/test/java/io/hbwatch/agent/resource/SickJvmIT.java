package io.hbwatch.agent.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Beats;
import io.hbwatch.testing.Jdks;
import io.hbwatch.testing.apps.SickApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JVM that is alive but sick, for real: a GC spiral, a long collection, a full heap,
 * OutOfMemoryErrors of each kind, an OOM storm followed by a deadlock, descriptors near their limit
 * and a dead man's switch. Each asserts the beat's reason and words, and that it clears. Beats come
 * every 250 ms; bounds in beats are generous because the machine is shared.
 */
class SickJvmIT {
    private static final String FAST = "interval=250ms,resourceCheck=250ms";

    @TempDir
    Path tmp;

    static List<Integer> jdks() {
        return Jdks.tested().toList();
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("jdks")
    void aGcSpiralIsReportedAsGcAndClearsWhenItEnds(int jdk) throws Exception {
        try (AgentJvm app = sick(jdk, FAST, "-Xmx64m")) {
            try (BeatClient beats = connect(app)) {
                Beats.await(beats, 12, Beats.status("UP"));
                Beats.tell(app, "spiral");
                app.awaitOutput("app: spiralling");
                // The goal is 15 s from the spiral's start; 30 s of beats leaves room for a busy machine.
                Map<String, Object> gc = Beats.await(beats, 120, Beats.degraded("gc"));
                String detail = (String) gc.get("detail");
                assertTrue(detail.startsWith("the JVM spent "), detail);
                assertTrue(detail.contains("% of the last 10 s in garbage collection"), detail);
                assertTrue(((Number) gc.get("gcPercent")).intValue() >= 30, gc.toString());
                Beats.tell(app, "release");
                app.awaitOutput("app: released");
                Map<String, Object> up = Beats.await(beats, 120, Beats.status("UP"));
                assertTrue(((Number) up.get("gcPercent")).intValue() < 30, up.toString());
            }
        }
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("jdks")
    void aLongCollectionIsNamedAsGcWithItsCollectorAndCauseNotAsAPause(int jdk) throws Exception {
        try (AgentJvm app = sick(jdk, FAST + ",pauseWarn=100ms", "-XX:+UseSerialGC", "-Xmx2g")) {
            try (BeatClient beats = connect(app)) {
                Beats.await(beats, 12, Beats.status("UP"));
                Beats.tell(app, "fullgc 6");
                List<Map<String, Object>> seen = new ArrayList<>();
                // Young collections that copy the growing list may be long too, and are named alike:
                // the one wanted is the full collection.
                Map<String, Object> gc = Beats.await(beats, 120, beat -> {
                    seen.add(beat);
                    return Beats.degraded("gc").test(beat)
                            && ((String) beat.get("detail")).contains("MarkSweepCompact");
                });
                app.awaitOutput("app: full gc done");
                String detail = (String) gc.get("detail");
                assertTrue(detail.startsWith("a garbage collection stopped the JVM for "), detail);
                assertTrue(detail.endsWith("(MarkSweepCompact, cause: System.gc())"), detail);
                for (Map<String, Object> beat : seen) {
                    assertFalse("pause".equals(beat.get("reason")), "a collection reported as a pause: " + beat);
                }
                Map<String, Object> up = Beats.await(beats, 40, Beats.status("UP"));
                assertTrue(((Number) up.get("pauseMaxTotalMs")).longValue() >= 100, up.toString());
            }
        }
    }

    @Test
    void aHeapThatStaysFullAfterACollectionIsHeapNamingThePool() throws Exception {
        try (AgentJvm app = sick(17, FAST, "-Xmx128m", "-XX:+UseG1GC")) {
            try (BeatClient beats = connect(app)) {
                Beats.await(beats, 12, Beats.status("UP"));
                Beats.tell(app, "hold 94");
                Map<String, Object> heap = Beats.await(beats, 60, Beats.degraded("heap"));
                String detail = (String) heap.get("detail");
                assertTrue(detail.startsWith("G1 Old Gen is "), detail);
                assertTrue(detail.contains("% full after collection ("), detail);
                assertTrue(detail.endsWith(" of 128.0 MiB)"), detail);
                Beats.tell(app, "release");
                app.awaitOutput("app: released");
                Beats.await(beats, 60, Beats.status("UP"));
            }
        }
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("jdks")
    void anOutOfMemoryErrorThatEndsAWorkerIsOomWithKindThreadAndCountAndClears(int jdk) throws Exception {
        try (AgentJvm app = sick(jdk, FAST + ",oomHold=3s", "-Xmx64m")) {
            try (BeatClient beats = connect(app)) {
                Beats.await(beats, 12, Beats.status("UP"));
                Beats.tell(app, "oom-heap");
                Map<String, Object> oom = Beats.await(beats, 40, Beats.degraded("oom"));
                assertEquals(
                        "OutOfMemoryError (Java heap space) ended thread \"doomed-worker\"; 1 error seen",
                        oom.get("detail"));
                assertEquals(1, ((Number) oom.get("oomCount")).intValue(), oom.toString());
                // The application's own view is unchanged: the JVM's default handler printed it.
                app.awaitOutput("Exception in thread \"doomed-worker\" java.lang.OutOfMemoryError: Java heap space");
                // While the worker filled the heap, other threads' allocations failed too (the
                // agent's loops catch theirs): the VM counts those, so the count may grow.
                Map<String, Object> up = Beats.await(beats, 60, Beats.status("UP"));
                assertTrue(((Number) up.get("oomCount")).intValue() >= 1, up.toString());
            }
        }
    }

    @Test
    void metaspaceAndDirectMemoryAreOomOfTheirKind() throws Exception {
        try (AgentJvm app = sick(17, FAST, "-XX:MaxMetaspaceSize=48m")) {
            try (BeatClient beats = connect(app)) {
                Beats.tell(app, "oom-metaspace");
                Map<String, Object> oom = Beats.await(beats, 80, Beats.degraded("oom"));
                assertTrue(
                        ((String) oom.get("detail")).startsWith("OutOfMemoryError (Metaspace) ended thread"),
                        oom.toString());
            }
        }
        try (AgentJvm app = sick(17, FAST, "-XX:MaxDirectMemorySize=16m")) {
            try (BeatClient beats = connect(app)) {
                Beats.tell(app, "oom-direct");
                Map<String, Object> oom = Beats.await(beats, 40, Beats.degraded("oom"));
                String detail = (String) oom.get("detail");
                assertTrue(detail.startsWith("OutOfMemoryError (Cannot reserve"), detail);
                assertTrue(detail.contains("direct buffer memory"), detail);
            }
        }
    }

    @Test
    void anOutOfMemoryErrorThatTheApplicationCatchesIsCountedFromTheVm() throws Exception {
        try (AgentJvm app = sick(17, FAST, "-Xmx64m")) {
            try (BeatClient beats = connect(app)) {
                Beats.await(beats, 12, Beats.status("UP"));
                Beats.tell(app, "oom-caught");
                app.awaitOutput("app: caught Java heap space");
                Map<String, Object> oom = Beats.await(beats, 40, Beats.degraded("oom"));
                String detail = (String) oom.get("detail");
                // One in the app's main thread, and maybe more in threads that allocated meanwhile
                // (the agent's loops catch theirs): the VM counts them all.
                assertTrue(
                        detail.matches("the VM threw \\d+ OutOfMemoryErrors? \\(Java heap space\\) in a thread"
                                + " that caught (it|them); \\d+ seen"),
                        detail);
            }
        }
    }

    @Test
    void afterAnOomStormTheAgentStillReportsADeadlockAndTheOom() throws Exception {
        try (AgentJvm app = sick(17, FAST + ",deadlockCheck=250ms,oomHold=1m", "-Xmx64m")) {
            try (BeatClient beats = connect(app)) {
                Beats.await(beats, 12, Beats.status("UP"));
                Beats.tell(app, "storm 4");
                app.awaitOutput("app: storm over");
                // Eight threads died of it, and more errors were caught: the count reaches 8 within beats.
                Map<String, Object> oom = Beats.await(
                        beats,
                        40,
                        beat -> Beats.degraded("oom").test(beat) && ((Number) beat.get("oomCount")).longValue() >= 8);
                assertTrue(((String) oom.get("detail")).contains("OutOfMemoryError"), oom.toString());
                Beats.tell(app, "deadlock");
                app.awaitOutput("app: deadlocked");
                Map<String, Object> deadlock = Beats.await(beats, 40, Beats.degraded("deadlock"));
                assertTrue(((String) deadlock.get("detail")).contains("sick-deadlock-"), deadlock.toString());
                assertTrue(((Number) deadlock.get("oomCount")).longValue() >= 8, deadlock.toString());
                assertFalse(app.stderr().contains(" died ("), app.stderr());
            }
        }
    }

    @Test
    void descriptorsNearTheLimitAreFds() throws Exception {
        try (AgentJvm app = sick(17, FAST, "-Xmx64m")) {
            app.awaitPorts();
            app.awaitOutput("app: ready");
            Process limit = new ProcessBuilder("prlimit", "--pid", Long.toString(app.pid()), "--nofile=200:200")
                    .inheritIO()
                    .start();
            assertEquals(0, limit.waitFor());
            try (BeatClient beats = connect(app)) {
                Beats.await(beats, 12, Beats.status("UP"));
                Beats.tell(app, "fds 180");
                app.awaitOutput("app: opened 180");
                Map<String, Object> fds = Beats.await(beats, 40, Beats.degraded("fds"));
                String detail = (String) fds.get("detail");
                assertTrue(detail.contains(" file descriptors open, "), detail);
                assertTrue(detail.endsWith("of the process's limit (ulimit -n) of 200"), detail);
            }
        }
    }

    @Test
    void aMethodThatStopsBeingCalledIsProgressAndUpWhenCallsResume() throws Exception {
        try (AgentJvm app = sick(17, FAST + ",expect=" + SickApp.class.getName() + "#work@1s", "-Xmx64m")) {
            try (BeatClient beats = connect(app)) {
                Beats.tell(app, "calls");
                app.awaitOutput("app: calling");
                Beats.await(beats, 20, Beats.status("UP"));
                Beats.tell(app, "stop-calls");
                Map<String, Object> progress = Beats.await(beats, 40, Beats.degraded("progress"));
                String detail = (String) progress.get("detail");
                assertTrue(
                        detail.startsWith("no call of " + SickApp.class.getName() + "#work has completed for "),
                        detail);
                assertTrue(detail.endsWith("(expected within 1s)"), detail);
                Beats.tell(app, "calls");
                Beats.await(beats, 40, Beats.status("UP"));
            }
        }
    }

    @Test
    void aHealthyGcBusyAppNeverTurnsDegraded() throws Exception {
        try (AgentJvm app = sick(17, FAST, "-Xmx256m")) {
            try (BeatClient beats = connect(app)) {
                Beats.tell(app, "churn");
                app.awaitOutput("app: churning");
                int maxPercent = 0;
                // 15 s of beats: longer than the 10 s window, so that a spiral would have shown.
                for (int i = 0; i < 60; i++) {
                    Map<String, Object> beat = beats.next();
                    assertEquals("UP", beat.get("status"), beat.toString());
                    maxPercent = Math.max(maxPercent, ((Number) beat.get("gcPercent")).intValue());
                }
                assertTrue(maxPercent < 10, "GC share up to " + maxPercent + "%");
            }
        }
    }

    @Test
    void onOomHeapdumpWritesOneHeapDumpAndRefusesASecondSoonAfter() throws Exception {
        Path dumps = tmp.resolve("dumps");
        try (AgentJvm app = sick(17, FAST + ",onOom=heapdump,oomHold=1s,dumpDir=" + dumps, "-Xmx64m")) {
            try (BeatClient beats = connect(app)) {
                Beats.tell(app, "oom-heap");
                Beats.await(beats, 40, Beats.degraded("oom"));
                app.awaitOutput("hbwatch: oom: heap dump written to " + dumps);
                try (Stream<Path> files = Files.list(dumps)) {
                    List<Path> written = files.toList();
                    assertEquals(1, written.size(), written.toString());
                    String name = written.get(0).getFileName().toString();
                    assertTrue(name.startsWith("hbwatch-oom-" + app.pid() + "-") && name.endsWith(".hprof"), name);
                    assertTrue(Files.size(written.get(0)) > 1024, "a real heap dump");
                }
                Beats.await(beats, 40, Beats.status("UP"));
                Beats.tell(app, "oom-heap");
                app.awaitOutput("hbwatch: oom: no heap dump: one was written less than 10 minutes ago");
            }
        }
    }

    @Test
    void onGcExitHaltsASpirallingJvmWithTheCode() throws Exception {
        try (AgentJvm app = sick(17, FAST + ",onGc=exit=72,dumpDir=" + tmp, "-Xmx64m", "-XX:+UseParallelGC")) {
            Beats.tell(app, "spiral");
            assertEquals(72, app.awaitExit(Duration.ofSeconds(90)), app.stderr());
            assertTrue(
                    app.stderr()
                            .contains("hbwatch: onGc=exit=72: halting the JVM with status 72 after gc: the JVM spent "),
                    app.stderr());
        }
    }

    private AgentJvm sick(int jdk, String agentArgs, String... jvmArgs) throws Exception {
        AgentJvm app = AgentJvm.builder(tmp)
                .java(Jdks.require(jdk))
                .agentArgs(agentArgs)
                .jvmArgs(jvmArgs)
                .main(SickApp.class)
                .start();
        app.awaitOutput("app: ready");
        return app;
    }

    private static BeatClient connect(AgentJvm app) throws Exception {
        return BeatClient.connect(app.awaitPorts().heartbeat());
    }
}
