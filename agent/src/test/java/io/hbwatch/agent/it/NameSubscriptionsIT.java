package io.hbwatch.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.Attacks;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.BeatRecorder;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 64 name subscriptions among a thousand processes more: one scan of the process table serves them
 * all, off the beat thread, so the JVM's beats stay on time; and clients that subscribe and leave
 * as fast as they can leave them on time too.
 */
class NameSubscriptionsIT {
    private static final long INTERVAL_MS = 200;

    @TempDir
    Path tmp;

    @Test
    void sixtyFourNamesAmongAThousandProcessesLeaveTheBeatOnTime() throws Exception {
        List<Process> sleeps = new ArrayList<>();
        List<BeatClient> watchers = new ArrayList<>();
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=" + INTERVAL_MS + "ms,maxSubscribers=100,maxPending=100")
                .main(SleepApp.class)
                .start()) {
            for (int i = 0; i < 1_000; i++) {
                sleeps.add(new ProcessBuilder("sleep", "300").start());
            }
            int port = app.awaitPorts().heartbeat();
            try (BeatRecorder vm = BeatRecorder.start(port)) {
                watchers.add(BeatClient.watch(port, "sleep"));
                for (int i = 1; i < 64; i++) {
                    watchers.add(BeatClient.watch(port, "no-such-process-" + i));
                }
                for (BeatClient w : watchers) {
                    Map<String, Object> first = w.next();
                    assertTrue(first.containsKey("seq"), first.toString());
                }
                Map<String, Object> sleep = watchers.get(0).next();
                assertEquals("UP", sleep.get("status"), sleep.toString());
                assertTrue((Long) sleep.get("count") >= 1_000, sleep.toString());
                int from = vm.count();
                vm.awaitBeats(from + 25); // five seconds of beats with 64 names watched
                assertTrue(
                        vm.maxGapMillis() <= INTERVAL_MS + 150,
                        "the beat came up to " + vm.maxGapMillis() + " ms after the one before");

                // And while a client subscribes to names and leaves, as fast as it can.
                Attacks churn = new Attacks(port);
                churn.subscribeLoop(List.of("sleep", "java", "churn-a", "churn-b"), 3_000);
                vm.awaitBeats(vm.count() + 5);
                vm.assertNoMissedBeat(java.time.Duration.ofMillis(INTERVAL_MS + 150));
                assertTrue(churn.connections.get() > 5, churn.connections.get() + " subscriptions churned");
            }
        } finally {
            for (BeatClient w : watchers) {
                w.close();
            }
            for (Process p : sleeps) {
                p.destroyForcibly();
            }
        }
    }
}
