package io.hbwatch.monitor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/prometheus/alerts.yml} under {@code promtool test rules}. Skipped where promtool is
 * not installed (Debian: {@code apt-get install prometheus}); run by hand with
 * {@code cd examples/prometheus && promtool test rules alerts.test.yml}.
 */
class AlertRulesTest {
    private static final Path DIR = Path.of("..", "examples", "prometheus");

    static boolean promtoolInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theExampleAlertsPassTheirUnitTests() throws Exception {
        assumeTrue(
                promtoolInstalled(),
                "promtool is not installed (apt-get install prometheus); run: cd examples/prometheus && promtool test"
                        + " rules alerts.test.yml");
        Process p = new ProcessBuilder("promtool", "test", "rules", "alerts.test.yml")
                .directory(DIR.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
    }
}
