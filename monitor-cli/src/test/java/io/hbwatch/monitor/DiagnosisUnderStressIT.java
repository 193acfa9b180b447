package io.hbwatch.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.monitor.support.Executable;
import io.hbwatch.monitor.support.Scrape;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.Signals;
import io.hbwatch.testing.apps.ExitApp;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The monitor's words where they used to go wrong, against real agent JVMs: a deploy (SIGTERM,
 * {@code System.exit(0)}, {@code main} returning) is {@code shutdown} and not a crash, {@code kill
 * -9} stays {@code closed}; two JVMs behind one target's roads are told apart; the monitor's own
 * SIGSTOP is blamed on no target; a SIGSTOP of the target is named {@code pause} in one event.
 */
class DiagnosisUnderStressIT {
    @TempDir
    Path tmp;

    private Path countingHook() {
        return tmp.resolve("hook-runs");
    }

    private String hook() {
        return "echo \"$HBWATCH_REASON\" >> '" + countingHook() + "'";
    }

    private List<String> hookRuns() throws Exception {
        return Files.exists(countingHook()) ? Files.readAllLines(countingHook()) : List.of();
    }

    private AgentJvm sleepApp() throws Exception {
        return AgentJvm.builder(tmp)
                .agentArgs("interval=100ms")
                .main(SleepApp.class)
                .start();
    }

    /** The monitor on {@code app}'s heartbeat, with the counting hook on DOWN except for {@code shutdown}. */
    private BackgroundRun monitorIgnoringShutdown(AgentJvm app) {
        return new BackgroundRun(
                "127.0.0.1:" + app.awaitPorts().heartbeat(),
                "--format",
                "json",
                "--on-down",
                hook(),
                "--on-down-ignore",
                "shutdown");
    }

    @Test
    void aSigtermIsShutdownAndRunsNoIgnoredHook() throws Exception {
        try (AgentJvm app = sleepApp();
                BackgroundRun run = monitorIgnoringShutdown(app)) {
            run.awaitOut("\"state\":\"UP\"");
            Signals.send("TERM", app.pid());
            run.awaitOut("\"reason\":\"shutdown\"");
            app.awaitExit(Duration.ofSeconds(30));
            // The port closes and then refuses after the last beat: still one stop, no new event.
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> !run.out().contains("\"reason\":\"refused\"")
                            && !run.out().contains("\"reason\":\"closed\""));
            CliRun done = run.stop();
            List<Map<String, Object>> events = done.events();
            Map<String, Object> last = events.get(events.size() - 1);
            assertEquals("DOWN shutdown", last.get("state") + " " + last.get("reason"), done::toString);
            assertTrue(last.get("detail").toString().startsWith("the JVM is exiting: SIGTERM"), done::toString);
            assertEquals(List.of("UP null", "DOWN shutdown"), done.states(), done::toString);
            assertEquals(List.of(), hookRuns(), "shutdown is ignored for --on-down");
        }
    }

    @Test
    void aKill9IsClosedAndStillRunsTheHook() throws Exception {
        try (AgentJvm app = sleepApp();
                BackgroundRun run = monitorIgnoringShutdown(app)) {
            run.awaitOut("\"state\":\"UP\"");
            app.sigkill();
            run.awaitOut("\"state\":\"DOWN\"");
            CliRun done = run.stop();
            assertFalse(done.out().contains("shutdown"), done::toString);
            assertTrue(List.of("closed", "refused").contains(hookRuns().get(0)), hookRuns()::toString);
        }
    }

    /** {@code exit}: System.exit(0) in main; {@code return}: main returns and nothing else runs. */
    @ParameterizedTest
    @ValueSource(strings = {"exit", "return"})
    void systemExitAndMainReturningAreShutdown(String how) throws Exception {
        Path go = tmp.resolve("go-" + how);
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=100ms")
                .main(ExitApp.class, "0", go.toString(), how)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            try (BackgroundRun run = new BackgroundRun("127.0.0.1:" + port, "--format", "json")) {
                run.awaitOut("\"state\":\"UP\"");
                Files.createFile(go);
                run.awaitOut("\"reason\":\"shutdown\"");
                assertEquals(0, app.awaitExit(Duration.ofSeconds(30)));
                CliRun done = run.stop();
                String detail = done.events()
                        .get(done.events().size() - 1)
                        .get("detail")
                        .toString();
                assertTrue(
                        detail.startsWith(
                                how.equals("exit")
                                        ? "the JVM is exiting: System.exit() in thread \"main\""
                                        : "the JVM is exiting: main returned"),
                        done::toString);
            }
        }
    }

    /**
     * Two JVMs on one host: the second cannot open the Jolokia port the first holds, so the target's
     * jmx road reaches the first JVM. The monitor says so once and, when the second is killed, does
     * not call it alive because the first JVM's Jolokia answers.
     */
    @Test
    void twoJvmsBehindOneTargetAreToldApart() throws Exception {
        try (AgentJvm first = AgentJvm.builder(tmp)
                .agentArgs("interval=100ms,jolokia=127.0.0.1:0")
                .main(SleepApp.class)
                .start()) {
            int jolokia = first.awaitPorts().jolokia();
            try (AgentJvm second = AgentJvm.builder(tmp)
                    .agentArgs("interval=100ms,jolokia=127.0.0.1:" + jolokia)
                    .main(SleepApp.class)
                    .start()) {
                int port = second.awaitPorts().heartbeat();
                try (BackgroundRun run = new BackgroundRun(
                        "127.0.0.1:" + port,
                        "--job",
                        "all",
                        "--probe",
                        "tcp",
                        "--interval",
                        "200ms",
                        "--jolokia",
                        "http://127.0.0.1:" + jolokia + "/jolokia",
                        "--format",
                        "json")) {
                    run.awaitErr("another JVM");
                    assertTrue(run.err().contains("pid " + second.pid()), run::toString);
                    assertTrue(run.err().contains("pid " + first.pid()), run::toString);
                    second.sigkill();
                    run.awaitOut("\"job\":\"hb\",\"target\":\"127.0.0.1:" + port
                            + "\",\"subject\":\"vm\",\"state\":\"DOWN\"");
                    CliRun done = run.stop();
                    assertEquals(1, count(done.err(), "another JVM"), "said once: " + done);
                    for (Map<String, Object> e : done.events()) {
                        if (e.get("job").equals("hb") && e.get("state").equals("DOWN")) {
                            assertFalse(e.get("detail").toString().contains("Jolokia still answers"), done::toString);
                        }
                    }
                }
            }
        }
    }

    /** The built monitor stopped for 5 s while three healthy targets beat on: no DOWN at all. */
    @Test
    void theMonitorsOwnStallIsBlamedOnNoTarget() throws Exception {
        List<AgentJvm> apps = new ArrayList<>();
        try {
            StringBuilder targets = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                AgentJvm app = AgentJvm.builder(tmp)
                        .agentArgs("interval=200ms,jolokia=127.0.0.1:0")
                        .main(SleepApp.class)
                        .start();
                apps.add(app);
            }
            for (AgentJvm app : apps) {
                AgentJvm.Ports p = app.awaitPorts();
                targets.append("127.0.0.1:")
                        .append(p.heartbeat())
                        .append(" --job all --probe tcp --interval 200ms --jolokia http://127.0.0.1:")
                        .append(p.jolokia())
                        .append("/jolokia\n");
            }
            Path file = tmp.resolve("targets.txt");
            Files.writeString(file, targets);
            try (Executable monitor = Executable.start(
                    List.of(), "--targets", file.toString(), "--format", "json", "--metrics", "127.0.0.1:0")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> count(monitor.out(), "\"state\":\"UP\"") >= 9);
                Signals.stop(monitor.process().pid());
                Thread.sleep(5000); // the stall under test, not a wait for a condition
                Signals.cont(monitor.process().pid());
                monitor.awaitErr("this monitor was stalled for", Duration.ofSeconds(30));
                // Long enough after the stall for any DOWN it would have caused to show.
                try {
                    await().during(Duration.ofSeconds(3))
                            .atMost(Duration.ofSeconds(10))
                            .until(() -> !monitor.out().contains("\"state\":\"DOWN\""));
                } catch (ConditionTimeoutException e) {
                    fail("a DOWN after the monitor's own stall: " + monitor, e);
                }
                String scraped = Scrape.metrics(Scrape.port(monitor.err()));
                // One stall, of about the 5 s the monitor was stopped.
                assertTrue(scraped.contains("\nhbwatch_monitor_stall_seconds_count 1\n"), scraped);
                assertTrue(scraped.contains("\nhbwatch_monitor_stall_seconds_bucket{le=\"2.5\"} 0\n"), scraped);
                assertTrue(scraped.contains("\nhbwatch_monitor_stall_seconds_bucket{le=\"10.0\"} 1\n"), scraped);
            }
        } finally {
            for (AgentJvm app : apps) {
                app.close();
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
