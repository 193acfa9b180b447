package io.hbwatch.monitor.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.Scrape;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metrics}: /metrics scraped over real HTTP while a real agent-carrying JVM is killed. */
class MetricsIT {
    @TempDir
    Path tmp;

    @Test
    void upIsOneWhileTheJvmBeatsAndZeroOnceItIsKilled() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=100ms")
                .main(SleepApp.class)
                .start()) {
            String target = "127.0.0.1:" + app.awaitPorts().heartbeat();
            try (BackgroundRun run =
                    new BackgroundRun(target, "--format", "json", "--job", "all", "--metrics", "127.0.0.1:0")) {
                int port = Scrape.port(run);
                String up = "hbwatch_up{job=\"hb\",subject=\"vm\",target=\"" + target + "\"} ";
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Scrape.metrics(port).contains(up + "1.0"));
                String before = Scrape.metrics(port);
                assertTrue(
                        before.contains("hbwatch_up{job=\"ping\",subject=\"host\",target=\"" + target + "\"} 1.0"),
                        before);
                assertTrue(before.contains("hbwatch_rtt_seconds_bucket{job=\"ping\""), before);
                assertTrue(before.contains("hbwatch_last_beat_age_seconds{job=\"hb\""), before);

                app.sigkill();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Scrape.metrics(port).contains(up + "0.0"));
                String after = Scrape.metrics(port);
                assertTrue(
                        after.contains("hbwatch_state{job=\"hb\",subject=\"vm\",target=\"" + target
                                + "\",hbwatch_state=\"DOWN\"} 1"),
                        after);
                assertTrue(
                        Pattern.compile(
                                        "hbwatch_transitions_total\\{job=\"hb\",reason=\"(closed|refused)\",state=\"DOWN\"")
                                .matcher(after)
                                .find(),
                        after);
            }
        }
    }
}
