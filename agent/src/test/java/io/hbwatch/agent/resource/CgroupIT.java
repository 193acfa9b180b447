package io.hbwatch.agent.resource;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Beats;
import io.hbwatch.testing.TestCgroup;
import io.hbwatch.testing.apps.SickApp;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real cgroup limits on a real JVM: a CPU quota (reason {@code throttled}) and a pids limit
 * (reasons {@code oom} and {@code threads}). Skipped, with the reason, where the test cannot create
 * a cgroup of its own.
 */
class CgroupIT {
    @TempDir
    Path tmp;

    @Test
    void aCpuQuotaThatHoldsTheJvmBackIsThrottledWithTheQuota() throws Exception {
        StringBuilder why = new StringBuilder();
        Optional<TestCgroup> made = TestCgroup.create("cpu", why);
        assumeTrue(made.isPresent(), why::toString);
        try (TestCgroup cpu = made.get()) {
            cpu.set("cpu.cfs_period_us", "100000").set("cpu.cfs_quota_us", "10000");
            try (AgentJvm app = start("interval=250ms,resourceCheck=250ms")) {
                try {
                    app.awaitPorts(); // the agent runs: it must see the move, not start inside
                    cpu.add(app.pid());
                    try (BeatClient beats = BeatClient.connect(app.awaitPorts().heartbeat())) {
                        Beats.tell(app, "spin");
                        // The first word of it may be a late beat the quota explains ("held back by a
                        // 0.1 CPU quota: ...") or the window's share, whichever comes first.
                        Map<String, Object> first = Beats.await(beats, 60, Beats.degraded("throttled"));
                        String said = (String) first.get("detail");
                        assertTrue(said.contains(" by a 0.1 CPU quota"), said);
                        Map<String, Object> throttled = Beats.await(
                                beats, 60, Beats.degraded("throttled").and(b -> String.valueOf(b.get("detail"))
                                        .startsWith("throttled in ")));
                        String detail = (String) throttled.get("detail");
                        assertTrue(detail.endsWith(" by a 0.1 CPU quota"), detail);
                    }
                } finally {
                    app.sigkill();
                    app.awaitExit(java.time.Duration.ofSeconds(30));
                    cpu.release(app.pid());
                }
            }
        }
    }

    @Test
    void threadsThatTheCgroupRefusesAreOomThenThreads() throws Exception {
        StringBuilder why = new StringBuilder();
        Optional<TestCgroup> made = TestCgroup.create("pids", why);
        assumeTrue(made.isPresent(), why::toString);
        try (TestCgroup pids = made.get()) {
            try (AgentJvm app = start("interval=250ms,resourceCheck=250ms,oomHold=1s")) {
                try {
                    app.awaitPorts();
                    pids.add(app.pid());
                    int now = Integer.parseInt(pids.get("pids.current"));
                    pids.set("pids.max", Integer.toString(now + 40));
                    try (BeatClient beats = BeatClient.connect(app.awaitPorts().heartbeat())) {
                        Beats.await(beats, 12, Beats.status("UP"));
                        Beats.tell(app, "threads");
                        app.awaitOutput("app: threads stopped at ");
                        Map<String, Object> oom = Beats.await(beats, 40, Beats.degraded("oom"));
                        assertTrue(
                                ((String) oom.get("detail")).contains("unable to create native thread"),
                                oom.toString());
                        assertTrue(((String) oom.get("detail")).contains("ended thread \"spawner\""), oom.toString());
                        Map<String, Object> threads = Beats.await(beats, 40, Beats.degraded("threads"));
                        String detail = (String) threads.get("detail");
                        assertTrue(detail.contains(" tasks in the JVM's cgroup, "), detail);
                        assertTrue(detail.endsWith("of its pids.max of " + (now + 40)), detail);
                    }
                } finally {
                    app.sigkill();
                    app.awaitExit(java.time.Duration.ofSeconds(30));
                    pids.release(app.pid());
                }
            }
        }
    }

    private AgentJvm start(String agentArgs) throws Exception {
        AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs(agentArgs)
                .jvmArgs("-Xmx64m")
                .main(SickApp.class)
                .start();
        app.awaitOutput("app: ready");
        return app;
    }
}
