package io.hbwatch.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.Beats;
import io.hbwatch.testing.TestCgroup;
import io.hbwatch.testing.apps.SickApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silence ends with the cause the agent measured, in the event that ends it: a long full
 * collection is {@code gc} with its collector, a JVM held back by a CPU quota is {@code throttled}
 * with the quota. ({@code pause} for a SIGSTOP is in {@link RealAgentIT}.)
 */
class RecoveryNamingIT {
    @TempDir
    Path tmp;

    private AgentJvm sick(String agentArgs, String... jvmArgs) throws Exception {
        AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs(agentArgs)
                .jvmArgs(jvmArgs)
                .main(SickApp.class)
                .start();
        app.awaitOutput("app: ready");
        return app;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** The events that end a silence: each one right after a {@code DOWN timeout}. */
    private static List<Map<String, Object>> recoveries(CliRun done) {
        List<Map<String, Object>> events = done.events();
        List<Map<String, Object>> after = new java.util.ArrayList<>();
        for (int i = 1; i < events.size(); i++) {
            Map<String, Object> before = events.get(i - 1);
            if ("DOWN".equals(before.get("state")) && "timeout".equals(before.get("reason"))) {
                after.add(events.get(i));
            }
        }
        return after;
    }

    @Test
    void aLongFullCollectionEndsItsSilenceAsGc() throws Exception {
        try (AgentJvm app = sick("interval=100ms,pauseWarn=200ms", "-XX:+UseSerialGC", "-Xmx2g", "-Xmn1g");
                BackgroundRun run =
                        new BackgroundRun("127.0.0.1:" + app.awaitPorts().heartbeat(), "--format", "json")) {
            run.awaitOut("\"state\":\"UP\"");
            Beats.tell(app, "fullgc 8");
            app.awaitOutput("app: full gc done");
            run.awaitOut("\"reason\":\"gc\"");
            CliRun done = run.stop();
            List<Map<String, Object>> ends = recoveries(done);
            assumeTrue(!ends.isEmpty(), "no collection here was longer than the 300 ms timeout: nothing to name");
            // The collection's silence ends in one event that names it ...
            boolean named = ends.stream()
                    .anyMatch(e -> "DEGRADED".equals(e.get("state"))
                            && "gc".equals(e.get("reason"))
                            && e.get("detail").toString().startsWith("a garbage collection stopped the JVM for ")
                            && e.get("detail").toString().contains("beats resumed after"));
            assertTrue(named, done::toString);
            // ... and no silence ends UP, "no pause measured", with gc a moment later: the beat built
            // before anything was known. (A silence may end UP honestly: CPU contention on a busy
            // machine, or a collection shorter than pauseWarn, reported as the pause it measured.)
            List<Map<String, Object>> events = done.events();
            for (int i = 1; i + 1 < events.size(); i++) {
                boolean endsSilenceUp = "timeout".equals(events.get(i - 1).get("reason"))
                        && "UP".equals(events.get(i).get("state"))
                        && events.get(i).get("detail").toString().contains("measured no pause");
                if (endsSilenceUp) {
                    long gap = java.time.Instant.parse(
                                            events.get(i + 1).get("time").toString())
                                    .toEpochMilli()
                            - java.time.Instant.parse(events.get(i).get("time").toString())
                                    .toEpochMilli();
                    assertTrue(!"gc".equals(events.get(i + 1).get("reason")) || gap > 500, done::toString);
                }
            }
        }
    }

    @Test
    void aJvmHeldBackByACpuQuotaEndsItsSilencesAsThrottled() throws Exception {
        StringBuilder why = new StringBuilder();
        Optional<TestCgroup> made = TestCgroup.create("cpu", why);
        assumeTrue(made.isPresent(), why::toString);
        try (TestCgroup cpu = made.get()) {
            // 20 ms of CPU a second: the JVM stops for most of each second, longer than the timeout.
            cpu.set("cpu.cfs_period_us", "1000000").set("cpu.cfs_quota_us", "20000");
            try (AgentJvm app = sick("interval=100ms,resourceCheck=250ms", "-Xmx64m");
                    BackgroundRun run =
                            new BackgroundRun("127.0.0.1:" + app.awaitPorts().heartbeat(), "--format", "json")) {
                try {
                    run.awaitOut("\"state\":\"UP\"");
                    cpu.add(app.pid());
                    Beats.tell(app, "spin");
                    run.awaitOut("\"reason\":\"throttled\"");
                    // Some silences under the quota, now that the agent has seen it.
                    int named = count(run.out(), "\"reason\":\"throttled\"");
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> count(run.out(), "beats resumed after") >= 3
                                    && count(run.out(), "\"reason\":\"throttled\"") > named);
                    CliRun done = run.stop();
                    // From the agent's first word of the quota on, every silence ends named by it: none
                    // ends UP and then says throttled a moment later. (The first silences, right after
                    // the test moved the running JVM into the cgroup and before the agent's check found
                    // the move, are a test's artefact: a JVM started inside its quota has none.)
                    List<Map<String, Object>> events = done.events();
                    int first = -1;
                    for (int i = 0; i < events.size() && first < 0; i++) {
                        first = "throttled".equals(events.get(i).get("reason")) ? i : -1;
                    }
                    boolean anyNamed = false;
                    for (int i = Math.max(1, first + 1); i < events.size(); i++) {
                        if ("timeout".equals(events.get(i - 1).get("reason"))) {
                            Map<String, Object> end = events.get(i);
                            assertTrue("throttled".equals(end.get("reason")), "ended as " + end + done);
                            assertTrue(end.get("detail").toString().contains("CPU quota"), done::toString);
                            anyNamed = true;
                        }
                    }
                    assertTrue(anyNamed, "no silence after the first throttled: " + done);
                } finally {
                    app.sigkill();
                    app.awaitExit(Duration.ofSeconds(30));
                    cpu.release(app.pid());
                }
            }
        }
    }
}
