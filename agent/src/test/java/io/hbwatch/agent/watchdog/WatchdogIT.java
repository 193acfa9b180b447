package io.hbwatch.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Beats;
import io.hbwatch.testing.LocalJmx;
import io.hbwatch.testing.apps.DeadlockApp;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real JVMs with the agent: deadlocks (monitors and locks) and a real pause (SIGSTOP), read from
 * the real heartbeat stream. Beats come every 250 ms; "within N beats" bounds are generous because
 * the machine is shared.
 */
class WatchdogIT {
    private static final String INTERVAL = "interval=250ms";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"monitor", "lock"})
    void aDeadlockTurnsTheBeatDegradedAndIsNamed(String kind) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs(INTERVAL + ",deadlockCheck=250ms")
                .main(DeadlockApp.class, kind)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            app.awaitOutput("app: deadlocked");
            try (BeatClient beats = BeatClient.connect(port)) {
                // the deadlock check runs every 250 ms too: two intervals, with room for a busy machine
                Map<String, Object> beat = Beats.await(beats, 12, Beats.degraded("deadlock"));
                assertEquals(List.of("deadlock-a", "deadlock-b"), sorted(beat.get("deadlocked")));
                assertTrue(
                        ((String) beat.get("detail")).startsWith("2 threads deadlocked: \"deadlock-"), beat.toString());
            }
            app.awaitOutput("hbwatch: deadlock: 2 threads deadlocked");
            assertTrue(
                    app.stderr().contains(kind.equals("monitor") ? "- waiting to lock" : "- parking to wait for"),
                    app.stderr());
            try (LocalJmx jmx = LocalJmx.connect(app.pid())) {
                String[] names = (String[]) jmx.get("hbwatch:type=Heartbeat", "DeadlockedThreads");
                Arrays.sort(names);
                assertArrayEquals(new String[] {"deadlock-a", "deadlock-b"}, names);
                assertEquals("deadlock", jmx.get("hbwatch:type=Heartbeat", "Reason"));
            }
        }
    }

    @Test
    void aBrokenDeadlockIsUpAgain() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs(INTERVAL + ",deadlockCheck=250ms")
                .main(DeadlockApp.class, "lock")
                .start()) {
            int port = app.awaitPorts().heartbeat();
            app.awaitOutput("app: deadlocked");
            try (BeatClient beats = BeatClient.connect(port)) {
                Beats.await(beats, 12, Beats.degraded("deadlock"));
                Beats.tell(app, "release");
                app.awaitOutput("app: released");
                Map<String, Object> up = Beats.await(beats, 12, Beats.status("UP"));
                assertFalse(up.containsKey("deadlocked"), up.toString());
            }
        }
    }

    @Test
    void onDeadlockExitDumpsTheThreadsAndHaltsWithTheCode() throws Exception {
        Path dumps = tmp.resolve("dumps");
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs(INTERVAL + ",deadlockCheck=250ms,onDeadlock=exit=70,dumpDir=" + dumps)
                .main(DeadlockApp.class, "monitor")
                .start()) {
            assertEquals(70, app.awaitExit(Duration.ofSeconds(60)), app.stderr());
            assertTrue(
                    app.stderr().contains("hbwatch: onDeadlock=exit=70: halting the JVM with status 70"), app.stderr());
            try (Stream<Path> files = Files.list(dumps)) {
                List<Path> written = files.toList();
                assertEquals(1, written.size(), written.toString());
                assertTrue(written.get(0).getFileName().toString().startsWith("hbwatch-deadlock-" + app.pid() + "-"));
                assertTrue(Files.readString(written.get(0)).contains("\"deadlock-a\""));
            }
        }
    }

    @Test
    void aPauseOfTheWholeJvmIsReportedWhenItResumes() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs(INTERVAL + ",pauseWarn=1s")
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            try (BeatClient beats = BeatClient.connect(port)) {
                Beats.await(beats, 12, Beats.status("UP"));
                app.sigstop();
                try {
                    Thread.sleep(2500); // the pause we cause: the JVM is stopped for this long
                } finally {
                    app.sigcont();
                }
                Map<String, Object> paused = Beats.await(beats, 12, Beats.degraded("pause"));
                assertTrue(((Number) paused.get("pauseMaxMs")).longValue() >= 2000, paused.toString());
                assertTrue(((String) paused.get("detail")).startsWith("the JVM paused "), paused.toString());
                Map<String, Object> up = Beats.await(beats, 20, Beats.status("UP"));
                assertTrue(((Number) up.get("pauseMaxTotalMs")).longValue() >= 2000, up.toString());
                assertTrue(((Number) up.get("pauseMaxMs")).longValue() < 1000, up.toString());
            }
        }
    }

    @Test
    void atOneBeatASecondThePauseIsMeasuredByTheBeatThreadToWithinOneInterval() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp).main(SleepApp.class).start()) { // interval=1s, pauseWarn=1s
            int port = app.awaitPorts().heartbeat();
            try (BeatClient beats = BeatClient.connect(port)) {
                Beats.await(beats, 12, Beats.status("UP"));
                app.sigstop();
                try {
                    Thread.sleep(3000); // the pause we cause
                } finally {
                    app.sigcont();
                }
                Map<String, Object> paused = Beats.await(beats, 8, Beats.degraded("pause"));
                long ms = ((Number) paused.get("pauseMaxMs")).longValue();
                // Counted from the wake-up the beat thread asked for: up to one interval short.
                assertTrue(ms >= 1900 && ms <= 3600, paused.toString());
                assertTrue(((String) paused.get("detail")).startsWith("the JVM paused "), paused.toString());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> sorted(Object names) {
        List<String> list = new ArrayList<>((List<String>) names);
        Collections.sort(list);
        return list;
    }
}
