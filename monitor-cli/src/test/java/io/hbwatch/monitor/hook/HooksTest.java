package io.hbwatch.monitor.hook;

import static io.hbwatch.monitor.support.FakeServer.beats;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.monitor.support.FakeServer;
import io.hbwatch.protocol.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --on-down} and {@code --on-up} with real shell commands: succeeding, failing, hanging. */
class HooksTest {
    @TempDir
    Path tmp;

    @Test
    void onDownGetsTheEventOnStdinAndInTheEnvironment() throws Exception {
        Path json = tmp.resolve("event.json");
        Path env = tmp.resolve("env.txt");
        int port = FakeServer.freePort();
        CliRun run = CliRun.of(
                "127.0.0.1:" + port,
                "--count",
                "1",
                "--format",
                "json",
                "--on-down",
                "cat > '" + json + "'; echo \"$HBWATCH_STATE $HBWATCH_REASON $HBWATCH_TARGET\" > '" + env + "'");
        assertEquals(2, run.exitCode(), run::toString);
        // --count waits for the hooks it started before it exits.
        String line = Files.readString(json, StandardCharsets.UTF_8).strip();
        assertEquals(run.out().strip(), line, "the event, exactly as printed");
        Map<String, Object> event = JsonParser.parseObject(line);
        assertEquals("refused", event.get("reason"));
        assertEquals("DOWN refused 127.0.0.1:" + port, Files.readString(env).strip());
        assertTrue(run.err().lines().noneMatch(l -> l.contains("hook")), run::toString);
    }

    @Test
    void aFailingHookIsOneLineOnStderrAndTheEventsGoOn() throws Exception {
        int port = FakeServer.freePort();
        CliRun run = CliRun.of(
                "127.0.0.1:" + port,
                "--count",
                "2",
                "--format",
                "json",
                "--on-down",
                "echo no mail server >&2; exit 4");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("DOWN refused"), run.states(), "stdout stays the target's events");
        assertTrue(
                run.err()
                        .contains("monitor-cli: on-down hook for hb 127.0.0.1:" + port
                                + " vm failed with exit code 4: no mail server"),
                run::toString);
    }

    @Test
    void aHangingHookIsKilledAtItsTimeoutWithoutDelayingDetection() throws Exception {
        Path pidFile = tmp.resolve("hook.pid");
        // DOWN at once (closed), then beats: UP while the DOWN's hook still hangs.
        try (FakeServer server = new FakeServer((s, n) -> {
                    if (n > 0) {
                        beats(s, 1, 1000, 50, "a");
                    }
                });
                BackgroundRun run = new BackgroundRun(
                        server.target(),
                        "--format",
                        "json",
                        "--timeout",
                        "5s",
                        "--hook-timeout",
                        "1s",
                        "--on-down",
                        "echo $$ > '" + pidFile + "'; exec sleep 60")) {
            run.awaitOut("\"state\":\"DOWN\"");
            run.awaitOut("\"state\":\"UP\"");
            run.awaitErr("on-down hook for hb " + server.target() + " vm timed out after 1000 ms and was killed");
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    @Test
    void onUpRunsWhenTheTargetComesBack() throws Exception {
        Path marker = tmp.resolve("up.json");
        try (FakeServer server = new FakeServer((s, n) -> {
                    if (n > 0) {
                        beats(s, 1, 1000, 50, "a");
                    }
                });
                BackgroundRun run = new BackgroundRun(
                        server.target(), "--format", "json", "--timeout", "5s", "--on-up", "cat > '" + marker + "'")) {
            run.awaitOut("\"state\":\"UP\"");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker) && Files.size(marker) > 0);
            Map<String, Object> event =
                    JsonParser.parseObject(Files.readString(marker).strip());
            assertEquals("UP", event.get("state"));
        }
    }
}
