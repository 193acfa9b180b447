package io.hbwatch.agent.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.subject.Subjects;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.Attacks;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.BeatRecorder;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The heartbeat port under attack, one attack per JVM: the app lives, a subscriber that was there
 * first gets every beat in time, the agent keeps its one thread, stays within a small heap, says
 * nothing on the host's stderr, and serves a new subscriber once the attack is over.
 */
class HeartbeatAttackIT {
    /** A heap small enough that buffering an attacker's input without bound would end the app. */
    private static final String SMALL_HEAP = "-Xmx24m";

    private static final long INTERVAL_MS = 200;

    @TempDir
    Path tmp;

    static Stream<String> attacks() {
        return Attacks.NAMES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void theAppLivesAndTheSubscriberMissesNoBeat(String attack) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .jvmArgs(SMALL_HEAP)
                .agentArgs("interval=" + INTERVAL_MS + "ms")
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            app.awaitOutput("app: started");
            List<String> threadsBefore = AgentThreads.settled(app.pid());
            try (BeatRecorder subscriber = BeatRecorder.start(port)) {
                subscriber.awaitBeats(2);
                new Attacks(port).run(attack, 2_000);
                List<String> threadsDuring = AgentThreads.of(app.pid());
                subscriber.awaitBeats(subscriber.count() + 2);

                assertTrue(app.process().isAlive(), app.stderr());
                // Name subscriptions add the one process-table scanner, and no other thread.
                assertTrue(
                        threadsDuring.stream()
                                        .filter(t -> t.startsWith("hbwatch-procs"))
                                        .count()
                                <= 1,
                        threadsDuring::toString);
                assertEquals(
                        threadsBefore,
                        threadsDuring.stream()
                                .filter(t -> !t.startsWith("hbwatch-procs"))
                                .collect(java.util.stream.Collectors.toList()),
                        "the agent's threads");
                subscriber.assertNoMissedBeat(Duration.ofMillis(10 * INTERVAL_MS));
            }
            // Once the attackers are gone, a newcomer is served.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                try (BeatClient c = BeatClient.connect(port, "{}")) {
                    Map<String, Object> beat = c.next();
                    assertEquals("vm", beat.get("subject"), beat.toString());
                }
            });
            // Attacks are the client's problem, not lines in the host's stderr.
            assertEquals(1, AgentIT.hbwatchLines(app).size(), app.stderr());
        }
    }

    /**
     * Names that once made every beat of the JVM fail: each is refused in one error line, and the
     * JVM's own subscriber, there before and after, hears every beat.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"long", "separators", "control"})
    void aNameThatCannotBeWatchedIsRefusedAndTheBeatGoesOn(String kind) throws Exception {
        String name = kind.equals("long")
                ? Attacks.LONG_NAME
                : kind.equals("separators") ? Attacks.SEPARATOR_NAME : "sleep\u0000\u001b[2J";
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=" + INTERVAL_MS + "ms")
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            try (BeatRecorder subscriber = BeatRecorder.start(port)) {
                subscriber.awaitBeats(2);
                try (BeatClient hostile = BeatClient.watch(port, name)) {
                    Map<String, Object> answer = hostile.next();
                    assertTrue(answer.containsKey("error"), answer.toString());
                    assertTrue(hostile.endsSoon(), "the hostile connection is closed");
                }
                // A name at the limit, of three-byte characters, beats like any other.
                try (BeatClient longest = BeatClient.watch(port, "\u20ac".repeat(Subjects.MAX_NAME_CHARS))) {
                    Map<String, Object> beat = longest.next();
                    assertEquals("name:" + "\u20ac".repeat(Subjects.MAX_NAME_CHARS), beat.get("subject"));
                    assertEquals("not-found", beat.get("reason"), beat.toString());
                }
                subscriber.awaitBeats(subscriber.count() + 3);
                subscriber.assertNoMissedBeat(Duration.ofMillis(10 * INTERVAL_MS));
            }
            assertEquals(1, AgentIT.hbwatchLines(app).size(), app.stderr());
        }
    }
}
