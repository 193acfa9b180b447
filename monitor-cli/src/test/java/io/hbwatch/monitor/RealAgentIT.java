package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.Signals;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor against real JVMs carrying the built agent, and real OS processes: killed, frozen,
 * resumed, restarted. Bounds are generous (30 s waits); speed is measured by {@code bench/}.
 */
class RealAgentIT {
    @TempDir
    Path tmp;

    private AgentJvm startApp(String agentArgs) throws Exception {
        return AgentJvm.builder(tmp).agentArgs(agentArgs).main(SleepApp.class).start();
    }

    @Test
    void aKilledJvmIsDownRefusedOrClosed() throws Exception {
        try (AgentJvm app = startApp("interval=100ms")) {
            int port = app.awaitPorts().heartbeat();
            try (BackgroundRun run = new BackgroundRun("127.0.0.1:" + port, "--format", "json")) {
                run.awaitOut("\"state\":\"UP\"");
                app.sigkill();
                run.awaitOut("\"state\":\"DOWN\"");
                CliRun done = run.stop();
                assertEquals(0, done.exitCode(), "an interrupted run exits 0");
                Map<String, Object> last = done.events().get(done.events().size() - 1);
                assertEquals("DOWN", last.get("state"), done::toString);
                assertTrue(List.of("closed", "refused").contains(last.get("reason")), done::toString);
            }
        }
    }

    @Test
    void aStoppedJvmIsDownTimeoutAndResumedIsOneEventNamedPause() throws Exception {
        try (AgentJvm app = startApp("interval=100ms")) {
            int port = app.awaitPorts().heartbeat();
            try (BackgroundRun run = new BackgroundRun("127.0.0.1:" + port, "--format", "json")) {
                run.awaitOut("\"state\":\"UP\"");
                app.sigstop();
                run.awaitOut("\"reason\":\"timeout\"");
                Thread.sleep(2000); // the stop under test lasts past the agent's pauseWarn (1 s)
                app.sigcont();
                run.awaitOut("no beats lost");
                CliRun done = run.stop();
                // One event ends the silence, and the agent's report names it: DEGRADED pause (a 2 s
                // SIGSTOP is past pauseWarn), never an UP first and the pause 200 ms later.
                List<String> states = done.states();
                int frozenAt = states.lastIndexOf("DOWN timeout");
                assertTrue(frozenAt >= 0, done::toString);
                assertEquals("DEGRADED pause", states.get(frozenAt + 1), done::toString);
                Map<String, Object> resumed = done.events().get(frozenAt + 1);
                assertTrue(
                        resumed.get("detail")
                                .toString()
                                .matches(
                                        "the JVM paused \\d+\\.\\d s \\(threads were not scheduled\\); beats resumed after "
                                                + "\\d+\\.\\d s of silence, no beats lost( on a new connection)?"),
                        done::toString);
                Map<String, Object> frozen = done.events().get(frozenAt);
                assertTrue(frozen.get("detail").toString().endsWith("the connection is open"), done::toString);
            }
        }
    }

    @Test
    void aNewJvmOnTheSamePortIsARestart() throws Exception {
        AgentJvm first = startApp("interval=100ms");
        int port = first.awaitPorts().heartbeat();
        try (BackgroundRun run = new BackgroundRun("127.0.0.1:" + port, "--format", "json")) {
            run.awaitOut("\"state\":\"UP\"");
            long firstPid = first.pid();
            first.sigkill();
            first.close();
            run.awaitOut("\"state\":\"DOWN\"");
            try (AgentJvm second = startApp("interval=100ms,port=" + port)) {
                second.awaitPorts();
                run.awaitOut("restarted");
                CliRun done = run.stop();
                assertTrue(
                        done.out().contains("restarted: a new process (pid " + firstPid + " -> " + second.pid() + ")"),
                        done::toString);
            }
        }
    }

    @Test
    void pidByNumberFollowsARealProcessUntilItExits() throws Exception {
        Process sleep = Signals.sleep(300);
        try (AgentJvm app = startApp("interval=200ms")) {
            int port = app.awaitPorts().heartbeat();
            String pid = Long.toString(sleep.pid());
            try (BackgroundRun run = new BackgroundRun("127.0.0.1:" + port, "--pid", pid, "--format", "json")) {
                run.awaitOut("\"state\":\"UP\"");
                Signals.kill(sleep.pid());
                sleep.waitFor(10, TimeUnit.SECONDS);
                run.awaitOut("\"reason\":\"exited\"");
                CliRun done = run.stop();
                assertEquals("pid:" + pid, done.events().get(0).get("subject"), done::toString);
            }
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void pidByNameFindsTheProcessAndCountEndsWithItsState() throws Exception {
        // A uniquely named copy of sleep, so that no other process on the machine answers to the name.
        String name = "hbw-sleep-" + ProcessHandle.current().pid();
        Path exe = tmp.resolve(name);
        Files.copy(Path.of("/bin/sleep"), exe, StandardCopyOption.COPY_ATTRIBUTES);
        Process sleep = new ProcessBuilder(exe.toString(), "300").start();
        try (AgentJvm app = startApp("interval=200ms")) {
            int port = app.awaitPorts().heartbeat();
            CliRun run = CliRun.of("127.0.0.1:" + port, "--pid", name, "--count", "2", "--format", "json");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals("name:" + name, run.events().get(0).get("subject"), run::toString);
            sleep.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            CliRun gone = CliRun.of("127.0.0.1:" + port, "--pid", name, "--count", "1", "--format", "json");
            assertEquals(2, gone.exitCode(), gone::toString);
            assertEquals("DOWN", gone.events().get(0).get("state"), gone::toString);
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void allDiagnosesAKilledProcessOnALiveHost() throws Exception {
        try (AgentJvm app = startApp("interval=100ms,jolokia=127.0.0.1:0")) {
            AgentJvm.Ports ports = app.awaitPorts();
            int port = ports.heartbeat();
            String jolokia = "http://127.0.0.1:" + ports.jolokia() + "/jolokia";
            try (BackgroundRun run = new BackgroundRun(
                    "127.0.0.1:" + port,
                    "--job",
                    "all",
                    "--jolokia",
                    jolokia,
                    "--interval",
                    "100ms",
                    "--format",
                    "json")) {
                run.awaitOut("\"job\":\"ping\"");
                run.awaitOut("\"job\":\"hb\"");
                app.sigkill();
                run.awaitOut("the host answers ping-echo: the process is gone");
            }
        }
    }

    @Test
    void signedBeatsAreUpWithTheSecretAndDownAuthWithAnother() throws Exception {
        Path secret = Files.writeString(tmp.resolve("hb.secret"), "a shared secret\n");
        Path other = Files.writeString(tmp.resolve("other.secret"), "not the secret\n");
        try (AgentJvm app = startApp("interval=100ms,secretFile=" + secret)) {
            String target = "127.0.0.1:" + app.awaitPorts().heartbeat();
            CliRun good = CliRun.of(target, "--count", "3", "--format", "json", "--secret-file", secret.toString());
            assertEquals(0, good.exitCode(), good::toString);
            assertEquals(List.of("UP null"), good.states());
            CliRun bad = CliRun.of(target, "--count", "1", "--format", "json", "--secret-file", other.toString());
            assertEquals(2, bad.exitCode(), bad::toString);
            assertEquals(List.of("DOWN auth"), bad.states());
        }
    }
}
