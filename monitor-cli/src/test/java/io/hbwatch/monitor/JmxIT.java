package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.StockJolokia;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --job jmx} and {@code --job all} against real JVMs: the agent's Jolokia, and a stock one. */
class JmxIT {
    @TempDir
    Path tmp;

    private AgentJvm startApp(String agentArgs) throws Exception {
        return AgentJvm.builder(tmp).agentArgs(agentArgs).main(SleepApp.class).start();
    }

    /** {@code monitor-cli 127.0.0.1 --job jmx --jolokia URL --format json MORE...}, in process. */
    private static CliRun jmx(String url, String... more) {
        return CliRun.of(args(url, more));
    }

    private static String[] args(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("127.0.0.1", "--job", "jmx", "--jolokia", url, "--format", "json"));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    private static String url(AgentJvm app) {
        return "http://127.0.0.1:" + app.awaitPorts().jolokia() + "/jolokia";
    }

    @Test
    void upThenDownTimeoutWhenStoppedExitTwo() throws Exception {
        try (AgentJvm app = startApp("interval=100ms,jolokia=127.0.0.1:0")) {
            String url = url(app);
            // Timeouts generous where timing is not under test: a cold agent's first answer is slow.
            CliRun up = jmx(url, "--count", "3", "--interval", "100ms", "--timeout", "5s");
            assertEquals(0, up.exitCode(), up::toString);
            assertEquals(List.of("UP null"), up.states(), up::toString);
            assertTrue(up.events().get(0).get("detail").toString().startsWith("ping echoed in"), up::toString);

            app.sigstop();
            CliRun stopped = jmx(url, "--count", "1", "--timeout", "500ms");
            assertEquals(2, stopped.exitCode(), stopped::toString);
            assertEquals(List.of("DOWN timeout"), stopped.states(), stopped::toString);
            app.sigcont();
        }
    }

    @Test
    void aStoppedJvmIsDownAndResumedIsUpInOneRun() throws Exception {
        try (AgentJvm app = startApp("interval=100ms,jolokia=127.0.0.1:0")) {
            try (BackgroundRun run = new BackgroundRun(args(url(app), "--interval", "100ms", "--timeout", "1s"))) {
                run.awaitOut("\"state\":\"UP\"");
                app.sigstop();
                run.awaitOut("\"reason\":\"timeout\"");
                app.sigcont();
                CliRun done = awaitStates(run, 3);
                assertEquals(List.of("UP null", "DOWN timeout"), done.states().subList(0, 2), done::toString);
                // Back: UP, or first the agent's own word on the stop it just lived through.
                assertTrue(
                        List.of("UP null", "DEGRADED pause")
                                .contains(done.states().get(2)),
                        done::toString);
            }
        }
    }

    @Test
    void aClosedPortIsDownRefusedExitTwo() throws Exception {
        String url;
        try (AgentJvm app = startApp("jolokia=127.0.0.1:0")) {
            url = url(app);
            app.sigkill();
            app.awaitExit(Duration.ofSeconds(30));
        }
        CliRun run = jmx(url, "--count", "1");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("DOWN refused"), run.states(), run::toString);
    }

    @Test
    void aStockJolokiaWithoutTheAgentFallsBackToUptimeAndSaysSoOnce() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .withoutAgent()
                .jvmArgs(StockJolokia.jvmArg(""))
                .main(SleepApp.class)
                .start()) {
            String url = StockJolokia.awaitUrl(app);
            CliRun run = jmx(url, "--count", "3", "--interval", "100ms", "--timeout", "5s");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals(List.of("UP null"), run.states(), run::toString);
            assertTrue(run.events().get(0).get("detail").toString().startsWith("Uptime "), run::toString);
            String all = run.out() + run.err();
            assertEquals(
                    1,
                    all.split("using java.lang:type=Runtime Uptime as the liveness signal", -1).length - 1,
                    run::toString);
        }
    }

    @Test
    void basicAuthAcceptedAndRefused() throws Exception {
        Path secret = tmp.resolve("secret");
        Files.writeString(secret, "hunter2\n");
        Path wrong = tmp.resolve("wrong");
        Files.writeString(wrong, "hunter3\n");
        try (AgentJvm app = startApp("jolokia=127.0.0.1:0,jolokiaUser=mon,jolokiaPasswordFile=" + secret)) {
            String url = url(app);
            CliRun ok = jmx(url, "--jolokia-user", "mon", "--jolokia-password-file", secret.toString(), "--count", "1");
            assertEquals(0, ok.exitCode(), ok::toString);
            CliRun refused =
                    jmx(url, "--jolokia-user", "mon", "--jolokia-password-file", wrong.toString(), "--count", "1");
            assertEquals(2, refused.exitCode(), refused::toString);
            assertEquals(List.of("DOWN auth"), refused.states(), refused::toString);
            CliRun none = jmx(url, "--count", "1");
            assertEquals(List.of("DOWN auth"), none.states(), none::toString);
        }
    }

    @Test
    void allRunsPingHbAndJmxSideBySide() throws Exception {
        try (AgentJvm app = startApp("interval=100ms,jolokia=127.0.0.1:0")) {
            AgentJvm.Ports ports = app.awaitPorts();
            CliRun run = CliRun.of(allJobs(ports, "--count", "3", "--format", "json"));
            assertEquals(0, run.exitCode(), run::toString);
            Set<String> jobs =
                    run.events().stream().map(e -> (String) e.get("job")).collect(Collectors.toSet());
            assertEquals(Set.of("ping", "hb", "jmx"), jobs, run::toString);
            for (Map<String, Object> e : run.events()) {
                assertEquals("UP", e.get("state"), run::toString);
            }
        }
    }

    @Test
    void allDiagnosesAKilledJvmFromAllThree() throws Exception {
        try (AgentJvm app = startApp("interval=100ms,jolokia=127.0.0.1:0")) {
            AgentJvm.Ports ports = app.awaitPorts();
            try (BackgroundRun run = new BackgroundRun(allJobs(ports, "--format", "json"))) {
                run.awaitOut("\"job\":\"jmx\"");
                run.awaitOut("\"job\":\"hb\"");
                app.sigkill();
                run.awaitOut("\"job\":\"jmx\",\"target\"");
                run.awaitOut("\"reason\":\"refused\"");
                CliRun done = run.stop();
                assertTrue(
                        done.events().stream()
                                .anyMatch(e -> "jmx".equals(e.get("job"))
                                        && "DOWN".equals(e.get("state"))
                                        && e.get("detail").toString().contains("the process is gone")),
                        done::toString);
            }
        }
    }

    private static CliRun awaitStates(BackgroundRun run, int n) throws Exception {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> run.out().lines().filter(l -> l.startsWith("{")).count() >= n);
        return run.stop();
    }

    /** {@code --job all} on the app's ports, checking every 100 ms over TCP, then {@code more}. */
    private static String[] allJobs(AgentJvm.Ports ports, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "127.0.0.1:" + ports.heartbeat(),
                "--job",
                "all",
                "--jolokia",
                "http://127.0.0.1:" + ports.jolokia() + "/jolokia",
                "--probe",
                "tcp",
                "--interval",
                "100ms",
                "--timeout",
                "5s"));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }
}
