package io.hbwatch.agent.vthread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Beats;
import io.hbwatch.testing.Jdks;
import io.hbwatch.testing.apps.VirtualApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Virtual threads deadlocked and a starved scheduler, on Java 25, read from the real beat stream. */
class VirtualThreadsIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"lock", "monitor"})
    void aDeadlockAmongVirtualThreadsIsADeadlockNamingThem(String kind) throws Exception {
        try (AgentJvm app = start("interval=250ms,deadlockCheck=250ms", kind)) {
            try (BeatClient beats = BeatClient.connect(app.awaitPorts().heartbeat())) {
                Map<String, Object> beat = Beats.await(beats, 40, Beats.degraded("deadlock"));
                assertEquals("2 threads deadlocked, virtual ones among them: \"vt-a\", \"vt-b\"", beat.get("detail"));
            }
            app.awaitOutput("hbwatch: deadlock: 2 threads deadlocked, virtual ones among them");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"carriers"})
    void busyVirtualThreadsThatStarveTheSchedulerAreCarriers(String kind) throws Exception {
        try (AgentJvm app = start("interval=250ms,resourceCheck=250ms,carriersWarn=1s", kind)) {
            try (BeatClient beats = BeatClient.connect(app.awaitPorts().heartbeat())) {
                Map<String, Object> beat = Beats.await(beats, 60, Beats.degraded("carriers"));
                String detail = (String) beat.get("detail");
                assertTrue(
                        detail.startsWith(
                                "every carrier thread is taken (2 of 2) while 5 virtual threads wait to run, for "),
                        detail);
            }
        }
    }

    private AgentJvm start(String agentArgs, String kind) throws Exception {
        AgentJvm app = AgentJvm.builder(tmp)
                .java(Jdks.require(25))
                .agentArgs(agentArgs)
                .jvmArgs("-XX:ActiveProcessorCount=2")
                .main(VirtualApp.class, kind)
                .start();
        app.awaitOutput("app: ready");
        return app;
    }
}
