package io.hbwatch.agent.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.protocol.JsonParser;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatRecorder;
import io.hbwatch.testing.Http;
import io.hbwatch.testing.HttpAttacks;
import io.hbwatch.testing.apps.SleepApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's Jolokia port under attack, one attack per JVM: the app lives, a heartbeat subscriber
 * gets every beat in time, the agent's threads stay within {@code jolokiaThreads} workers and one
 * deadline thread, a small heap is enough, the host's stderr hears nothing, and Jolokia answers a
 * real request once the attack is over (slow clients are cut off after {@code jolokiaTimeout}).
 */
class JolokiaAttackIT {
    /** Small enough that buffering an attacker's headers or body without bound would end the app. */
    private static final String SMALL_HEAP = "-Xmx32m";

    private static final long INTERVAL_MS = 200;
    private static final int THREADS = 2;

    @TempDir
    Path tmp;

    static Stream<String> attacks() {
        return HttpAttacks.NAMES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void jolokiaServesAgainAndNoBeatIsMissed(String attack) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .jvmArgs(SMALL_HEAP)
                .agentArgs("interval=" + INTERVAL_MS + "ms,jolokia=127.0.0.1:0,jolokiaThreads=" + THREADS
                        + ",jolokiaTimeout=1s")
                .main(SleepApp.class)
                .start()) {
            AgentJvm.Ports ports = app.awaitPorts();
            String url = "http://127.0.0.1:" + ports.jolokia() + "/jolokia/";
            app.awaitOutput("app: started");
            assertSequenceReadable(url);
            List<String> before = AgentThreads.of(app.pid());
            try (BeatRecorder subscriber = BeatRecorder.start(ports.heartbeat())) {
                subscriber.awaitBeats(2);
                new HttpAttacks(ports.jolokia(), "/jolokia/").run(attack, 3_000);
                List<String> during = AgentThreads.of(app.pid());
                subscriber.awaitBeats(subscriber.count() + 2);

                assertTrue(app.process().isAlive(), app.stderr());
                // /proc cuts names at 15 characters: workers, dispatcher, idle timer and deadline
                // thread all read "hbwatch-jolokia".
                long jolokia = during.stream()
                        .filter(n -> n.startsWith("hbwatch-jolokia"))
                        .count();
                assertTrue(jolokia <= THREADS + 3, "Jolokia's threads: " + during);
                assertTrue(during.size() <= before.size() + THREADS + 1, before + " then " + during);
                subscriber.assertNoMissedBeat(Duration.ofMillis(10 * INTERVAL_MS));
            }
            // Slow clients were cut off: a real request is served again.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertSequenceReadable(url));
            // Attacks are the client's problem, not lines in the host's stderr.
            assertEquals(1, AgentIT.hbwatchLines(app).size(), app.stderr());
            assertFalse(app.stderr().contains("Exception"), app.stderr());
            assertFalse(app.stderr().contains("WARNING"), app.stderr());
        }
    }

    private static void assertSequenceReadable(String url) throws Exception {
        HttpResponse<String> r = Http.get(url + "read/hbwatch:type=Heartbeat/Sequence");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(200L, ((Number) JsonParser.parseObject(r.body()).get("status")).longValue(), r.body());
    }
}
