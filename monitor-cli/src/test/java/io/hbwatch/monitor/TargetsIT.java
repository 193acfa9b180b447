package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
                    assertTrue(done.err().contains("--- " + t + " monitor-cli statistics ---"), done::toString);
                }
            }
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
                        + " 500ms, 2s or 1m\n",
                run.err());
        assertEquals("", run.out());
    }
}
