package io.hbwatch.monitor.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.apps.SleepApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metrics}: /metrics scraped over real HTTP while a real agent-carrying JVM is killed. */
class MetricsIT {
    @TempDir
    Path tmp;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static String scrape(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), r.headers()::toString);
        return r.body();
    }

    /** The port of the "metrics on http://127.0.0.1:PORT/metrics" line. */
    static int metricsPort(BackgroundRun run) {
        run.awaitErr("/metrics");
        Matcher m = Pattern.compile("metrics on http://[^ ]+:(\\d+)/metrics").matcher(run.err());
        assertTrue(m.find(), run::toString);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void upIsOneWhileTheJvmBeatsAndZeroOnceItIsKilled() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=100ms")
                .main(SleepApp.class)
                .start()) {
            String target = "127.0.0.1:" + app.awaitPorts().heartbeat();
            try (BackgroundRun run =
                    new BackgroundRun(target, "--format", "json", "--job", "all", "--metrics", "127.0.0.1:0")) {
                int port = metricsPort(run);
                String up = "hbwatch_up{job=\"hb\",subject=\"vm\",target=\"" + target + "\"} ";
                await().atMost(Duration.ofSeconds(30)).until(() -> scrape(port).contains(up + "1.0"));
                String before = scrape(port);
                assertTrue(
                        before.contains("hbwatch_up{job=\"ping\",subject=\"host\",target=\"" + target + "\"} 1.0"),
                        before);
                assertTrue(before.contains("hbwatch_rtt_seconds_bucket{job=\"ping\""), before);
                assertTrue(before.contains("hbwatch_last_beat_age_seconds{job=\"hb\""), before);

                app.sigkill();
                await().atMost(Duration.ofSeconds(30)).until(() -> scrape(port).contains(up + "0.0"));
                String after = scrape(port);
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
