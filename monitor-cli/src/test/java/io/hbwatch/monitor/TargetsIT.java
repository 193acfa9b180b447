package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.monitor.support.FakeServer;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --targets}: live and dead targets in one run, on one output, each event with its target. */
class TargetsIT {
    @TempDir
    Path tmp;

    private AgentJvm startApp(String name, String agentArgs) throws Exception {
        return AgentJvm.builder(tmp.resolve(name))
                .agentArgs(agentArgs)
                .main(SleepApp.class)
                .start();
    }

    @Test
    void liveAndDeadTargetsReportSideBySideAndAKillIsSeenForItsTargetOnly() throws Exception {
        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        try (AgentJvm a = startApp("a", "interval=100ms");
                AgentJvm b = startApp("b", "interval=100ms,jolokia=127.0.0.1:0")) {
            String liveA = "127.0.0.1:" + a.awaitPorts().heartbeat();
            String liveB = "127.0.0.1:" + b.awaitPorts().heartbeat();
            String jolokiaB = "http://127.0.0.1:" + b.awaitPorts().jolokia() + "/jolokia";
            String dead = "127.0.0.1:" + FakeServer.freePort();
            Path file = Files.writeString(
                    tmp.resolve("fleet.txt"),
                    "# two JVMs and a port where nothing listens\n"
                            + liveA + "\n"
                            + liveB + " --job all --jolokia " + jolokiaB + "   # ping and Jolokia too\n"
                            + "\n"
                            + dead + "\n");
            try (BackgroundRun run = new BackgroundRun("--targets", file.toString(), "--format", "json")) {
                run.awaitOut("\"target\":\"" + liveA + "\",\"subject\":\"vm\",\"state\":\"UP\"");
                run.awaitOut("\"target\":\"" + liveB + "\",\"subject\":\"vm\",\"state\":\"UP\"");
                run.awaitOut("\"job\":\"ping\",\"target\":\"" + liveB + "\"");
                run.awaitOut("\"job\":\"jmx\",\"target\":\"" + liveB + "\",\"subject\":\"vm\",\"state\":\"UP\"");
                run.awaitOut(
                        "\"target\":\"" + dead + "\",\"subject\":\"vm\",\"state\":\"DOWN\",\"reason\":\"refused\"");
                a.sigkill();
                run.awaitOut("\"target\":\"" + liveA + "\",\"subject\":\"vm\",\"state\":\"DOWN\"");
                CliRun done = run.stop();
                assertEquals(0, done.exitCode(), done::toString);
                List<Map<String, Object>> events = done.events();
                assertTrue(
                        events.stream()
                                .filter(e -> e.get("target").equals(liveB))
                                .allMatch(e -> e.get("state").equals("UP")),
                        "the other JVM stays UP: " + done);
                for (String t : List.of(liveA, liveB, dead)) {
                    assertTrue(done.err().lines().anyMatch(l -> l.startsWith(t + " ")), done::toString);
                }
            }
        }
    }

    @Test
    void anUnresolvableHostIsOneDownTargetNotTheEndOfTheRun() throws Exception {
        Files.createDirectories(tmp.resolve("a"));
        try (AgentJvm a = startApp("a", "interval=100ms")) {
            String live = "127.0.0.1:" + a.awaitPorts().heartbeat();
            String dead = "127.0.0.1:" + FakeServer.freePort();
            String invalid = "no-such-host.invalid:7777";
            Path file = Files.writeString(tmp.resolve("fleet.txt"), live + "\n" + dead + "\n\n" + invalid + "\n");
            CliRun run = CliRun.of("--targets", file.toString(), "--format", "json", "--count", "2");
            assertEquals(2, run.exitCode(), run::toString);
            List<Map<String, Object>> events = run.events();
            assertTrue(
                    events.stream()
                            .anyMatch(e -> e.get("target").equals(live)
                                    && e.get("state").equals("UP")),
                    run::toString);
            assertTrue(
                    events.stream()
                            .anyMatch(e -> e.get("target").equals(dead)
                                    && e.get("state").equals("DOWN")),
                    run::toString);
            Map<String, Object> unresolved = events.stream()
                    .filter(e -> e.get("target").equals(invalid))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no event of " + invalid + ": " + run));
            assertEquals("DOWN", unresolved.get("state"), run::toString);
            assertEquals("unresolved", unresolved.get("reason"), run::toString);
            assertEquals(
                    "cannot resolve host 'no-such-host.invalid' (" + file + ":4)",
                    unresolved.get("detail"),
                    run::toString);
            // The summary of a fleet: one aligned line per target and job, on stderr under JSON.
            List<String> summary = run.err()
                    .lines()
                    .filter(l -> l.startsWith(live + " ") || l.startsWith(dead + " ") || l.startsWith(invalid + " "))
                    .toList();
            assertEquals(3, summary.size(), run::toString);
            assertTrue(summary.get(0).matches(".* hb +2 +0 .*UP$"), summary::toString);
            assertTrue(summary.get(2).matches(".* hb +2 +2 .*DOWN \\(unresolved\\)$"), summary::toString);
            assertEquals(
                    1, summary.stream().map(l -> l.indexOf(" hb ")).distinct().count(), summary::toString);
            assertFalse(run.err().contains("--- " + live + " monitor-cli statistics ---"), run::toString);
        }
    }

    @Test
    void aMalformedLineStopsTheRunBeforeAnythingStarts() throws Exception {
        Path file = Files.writeString(
                tmp.resolve("fleet.txt"), "127.0.0.1:7777\n127.0.0.1:7778 --job hb --interval often\n");
        CliRun run = CliRun.of("--targets", file.toString(), "--format", "json");
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals(
                "monitor-cli: " + file + ":2: Invalid value for option '--interval': 'often' is not a duration like"
                        + " 500ms, 2s, 1m or 1h\n",
                run.err());
        assertEquals("", run.out());
    }
}
