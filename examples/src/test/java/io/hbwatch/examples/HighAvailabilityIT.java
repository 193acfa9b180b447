package io.hbwatch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/ha/run.sh} as a user runs it: two monitors, two Prometheus servers and an
 * Alertmanager cluster of two from Debian's packages, a JVM killed twice over. Runs where those
 * packages are installed ({@code .ci/run} installs them).
 */
class HighAvailabilityIT {
    private static final Path ROOT =
            Paths.get(System.getProperty("hbwatch.repo.root", "..")).toAbsolutePath();

    private static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Paths.get(dir, command))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void twoMonitorsTwoPrometheusServersAndAnAlertmanagerClusterNotifyOncePerKill() throws Exception {
        assumeTrue(
                installed("prometheus") && installed("prometheus-alertmanager"),
                "Debian's prometheus and prometheus-alertmanager are not installed");
        Process p = new ProcessBuilder(ROOT.resolve("examples/ha/run.sh").toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] bytes;
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("examples/ha/run.sh did not finish within 240 s");
        }
        bytes = p.getInputStream().readAllBytes();
        String out = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> counts =
                out.lines().filter(l -> l.contains(" about 127.0.0.1:")).toList();
        assertEquals(2, counts.size(), out);
        for (String line : counts) {
            assertTrue(line.strip().startsWith("1 notification about"), out);
        }
        assertTrue(out.contains("stopped monitor1 and prometheus1"), out);
        assertTrue(out.strip().endsWith("OK: one notification per JVM killed"), out);
    }

    @Test
    void itsRulesPassPromtool() throws Exception {
        assumeTrue(installed("promtool"), "promtool is not installed (Debian package prometheus)");
        Process p = new ProcessBuilder(
                        "promtool",
                        "check",
                        "rules",
                        ROOT.resolve("examples/ha/rules.yml").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
    }
}
