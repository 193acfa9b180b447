package io.hbwatch.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.protocol.Reason;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    @Test
    void findsADeadlockOnItsOwnThreadAndStopsWhenClosed() throws Exception {
        Health health = new Health();
        Watchdog w =
                Watchdog.start(ConfigLoader.fromAgentArgs("deadlockCheck=100ms,interval=100ms"), health, null, false);
        try {
            assertEquals(0, w.deadlockedThreads().length);
            Map<String, Object> beat = beat(health);
            assertTrue(beat.containsKey(io.hbwatch.protocol.Protocol.F_PAUSE_MAX_MS), beat.toString());
            assertTrue(beat.containsKey(io.hbwatch.protocol.Protocol.F_PAUSE_MAX_TOTAL_MS), beat.toString());
            Thread[] pair = DeadlockCheckTest.deadlock("wd-test-a", "wd-test-b");
            try {
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> w.deadlockedThreads().length == 2);
                Finding f = health.worst();
                assertEquals(Reason.DEADLOCK, f.reason());
                String[] names = w.deadlockedThreads();
                Arrays.sort(names);
                assertArrayEquals(new String[] {"wd-test-a", "wd-test-b"}, names);
            } finally {
                pair[0].interrupt();
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> health.worst() == null);
        } finally {
            w.close();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("hbwatch-deadlock")));
    }

    @Test
    void withoutInstrumentationProbesAreIgnoredAndTheRestRuns() {
        Health health = new Health();
        Watchdog w =
                Watchdog.start(ConfigLoader.fromAgentArgs("watch=a.B#c@1s,deadlockCheck=off"), health, null, false);
        try {
            assertEquals(0, w.probes().size());
            assertNull(health.worst());
            assertTrue(w.pauseMaxTotalMillis() >= 0);
        } finally {
            w.close();
        }
    }

    private static Map<String, Object> beat(Health health) throws JsonParser.JsonException {
        JsonLine line = new JsonLine();
        health.contribute(line);
        return JsonParser.parseObject(line.toJson());
    }

    /** The beat path reads what the checks published: a healthy VM beat allocates nothing, with all of them. */
    @Test
    void aHealthyVmBeatWithEveryCheckAllocatesNothing() {
        Health health = new Health();
        Watchdog w = Watchdog.start(
                ConfigLoader.fromAgentArgs("interval=100ms,resourceCheck=100ms,deadlockCheck=100ms"),
                health,
                null,
                false);
        try {
            io.hbwatch.agent.subject.VmSubject vm = new io.hbwatch.agent.subject.VmSubject(health);
            io.hbwatch.protocol.JsonLine line = new io.hbwatch.protocol.JsonLine();
            Runnable thousand = () -> {
                for (int i = 0; i < 1000; i++) {
                    line.reset();
                    vm.writeTo(line);
                }
            };
            long allocated = io.hbwatch.testing.Allocation.steadyStateBytes(thousand, 20, 5);
            assertNull(health.worst(), String.valueOf(health.worst()));
            assertEquals(0, allocated, "bytes allocated by 1000 healthy VM beats");
        } finally {
            w.close();
        }
    }
}
