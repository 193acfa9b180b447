package io.hbwatch.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --job all} on a SIGSTOPped JVM: whichever of hb and jmx times out first must not take the
 * other's UP from before the freeze as proof that the JVM runs. Normal mode (Jolokia's 1 s timeout
 * fires long before the heartbeat's 3 s) and the demo's fast mode (both 600 ms, a race).
 */
class FrozenDiagnosisIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"", "--interval 200ms --timeout 600ms"})
    void aFrozenJvmIsNeverSaidToRun(String options) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=200ms,jolokia=127.0.0.1:0")
                .main(SleepApp.class)
                .start()) {
            AgentJvm.Ports ports = app.awaitPorts();
            List<String> args = new ArrayList<>(List.of(
                    "127.0.0.1:" + ports.heartbeat(),
                    "--job",
                    "all",
                    "--jolokia",
                    "http://127.0.0.1:" + ports.jolokia() + "/jolokia",
                    "--probe",
                    "tcp",
                    "--format",
                    "json"));
            if (!options.isEmpty()) {
                args.addAll(List.of(options.split(" ")));
            }
            try (BackgroundRun run = new BackgroundRun(args.toArray(String[]::new))) {
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> has(run, "hb", "UP") && has(run, "jmx", "UP"));
                // Let several answers of each road come in first: the diagnosis must not lean on them.
                Thread.sleep(1500);
                app.sigstop();
                try {
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> has(run, "hb", "DOWN") && has(run, "jmx", "DOWN"));
                } finally {
                    app.sigcont();
                }
                CliRun done = run.stop();
                List<Map<String, Object>> down = done.events().stream()
                        .filter(e -> "DOWN".equals(e.get("state")))
                        .toList();
                for (Map<String, Object> e : down) {
                    String detail = e.get("detail").toString();
                    assertTrue(
                            !detail.contains("the JVM runs") && !detail.contains("beat thread is stuck"),
                            () -> "a frozen JVM said to run: " + e + done);
                }
                assertTrue(
                        down.stream().anyMatch(e -> e.get("detail").toString().contains("frozen")),
                        () -> "no event says frozen" + done);
            }
        }
    }

    private static boolean has(BackgroundRun run, String job, String state) {
        return new CliRun(0, run.out(), "")
                .events().stream().anyMatch(e -> job.equals(e.get("job")) && state.equals(e.get("state")));
    }
}
