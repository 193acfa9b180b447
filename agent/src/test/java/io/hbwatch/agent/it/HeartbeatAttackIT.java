package io.hbwatch.agent.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            List<String> threadsBefore = AgentThreads.of(app.pid());
            try (BeatRecorder subscriber = BeatRecorder.start(port)) {
                subscriber.awaitBeats(2);
                new Attacks(port).run(attack, 2_000);
                List<String> threadsDuring = AgentThreads.of(app.pid());
                subscriber.awaitBeats(subscriber.count() + 2);

                assertTrue(app.process().isAlive(), app.stderr());
                assertEquals(threadsBefore, threadsDuring, "the agent's threads");
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
}
