package io.hbwatch.dist;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.apps.SleepApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code mvn -B package} ships, as an operator installs it: the archive unpacked and run, the
 * Debian package's contents at their documented paths, and the systemd units checked by {@code
 * systemd-analyze verify} where systemd is installed.
 */
class DistIT {
    private static final Path ARCHIVE = Path.of(System.getProperty("hbwatch.dist.archive"));
    private static final Path DEB = Path.of(System.getProperty("hbwatch.dist.deb"));
    private static final Path UNITS = Path.of(System.getProperty("hbwatch.dist.units"));
    private static final String TOP = ARCHIVE.getFileName().toString().replace(".tar.gz", "");

    /** What the archive (under its top directory) and the package (under /opt/hbwatch) both hold. */
    private static final List<String> PAYLOAD = List.of(
            "bin/monitor-cli",
            "lib/hb-agent.jar",
            "share/doc/README.md",
            "share/doc/LICENSE",
            "share/doc/docs/PROTOCOL.md",
            "share/doc/docs/JOLOKIA.md",
            "share/doc/docs/WATCHDOG.md",
            "share/doc/docs/BENCHMARKS.md");

    @TempDir
    Path tmp;

    record Run(int code, String out) {}

    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish: " + out);
        }
        return new Run(p.exitValue(), out);
    }

    private Path unpack() throws Exception {
        Run tar = run(List.of("tar", "xzf", ARCHIVE.toString(), "-C", tmp.toString()));
        assertEquals(0, tar.code(), tar.out());
        return tmp.resolve(TOP);
    }

    @Test
    void theArchiveHoldsTheMonitorTheAgentTheDocsAndTheUnits() throws Exception {
        Path home = unpack();
        for (String f : PAYLOAD) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f + " is missing from " + ARCHIVE);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/monitor-cli")));
        for (String f : List.of(
                "systemd/hbwatch-monitor.service",
                "systemd/hbwatch-agent.service",
                "etc/targets.txt",
                "etc/default/hbwatch-monitor",
                "etc/default/hbwatch-agent")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f + " is missing from " + ARCHIVE);
        }
        assertTrue(Files.readString(home.resolve("share/doc/LICENSE")).contains("Apache License"));
    }

    @Test
    void theUnpackedMonitorAndAgentRunFromWhereverTheyAre() throws Exception {
        Path home = unpack();
        String monitor = home.resolve("bin/monitor-cli").toString();
        String agent = home.resolve("lib/hb-agent.jar").toString();

        Run version = run(List.of(monitor, "--version"));
        assertEquals(0, version.code(), version.out());
        assertTrue(version.out().startsWith("monitor-cli " + TOP.substring("hbwatch-".length())), version.out());

        // A JVM with the unpacked agent, found by pid through its registry entry.
        Path registry = tmp.resolve("registry");
        Process app = new ProcessBuilder(
                        "java",
                        "-javaagent:" + agent + "=port=0,jolokia=off,interval=200ms,registry=" + registry,
                        "-cp",
                        AgentJvm.testClasses(),
                        SleepApp.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(registry.resolve(app.pid() + ".json")));
            Run check = run(List.of(monitor, "pid:" + app.pid(), "--registry", registry.toString(), "--count", "1"));
            assertEquals(0, check.code(), check.out());
            assertTrue(check.out().startsWith("HBWATCH OK - 127.0.0.1:"), check.out());
        } finally {
            app.destroyForcibly();
        }

        // The standalone agent, as hbwatch-agent.service runs it, watched for the host.
        Path ports = tmp.resolve("ports.json");
        Process standalone = new ProcessBuilder("java", "-jar", agent, "--port", "0", "--portFile", ports.toString())
                .redirectErrorStream(true)
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ports));
            Matcher m = Pattern.compile("\"heartbeat\":(\\d+)").matcher(Files.readString(ports));
            assertTrue(m.find(), Files.readString(ports));
            Run check = run(List.of(monitor, "127.0.0.1:" + m.group(1), "--count", "1"));
            assertEquals(0, check.code(), check.out());
            assertTrue(check.out().startsWith("HBWATCH OK - 127.0.0.1:" + m.group(1) + ": hb UP"), check.out());
            assertTrue(check.out().contains(" host UP: first beat"), check.out());
        } finally {
            standalone.destroyForcibly();
        }
    }

    @Test
    void theDebianPackageInstallsTheSameAtTheDocumentedPaths() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "no dpkg-deb here to read the package");
        Run contents = run(List.of("dpkg-deb", "-c", DEB.toString()));
        assertEquals(0, contents.code(), contents.out());
        List<String> paths = new ArrayList<>();
        for (String line : contents.out().lines().toList()) {
            String[] cols = line.trim().split("\\s+", 6);
            paths.add(cols[5].replaceFirst("^\\./", "/"));
        }
        for (String f : PAYLOAD) {
            assertTrue(paths.contains("/opt/hbwatch/" + f), "/opt/hbwatch/" + f + " is missing from " + paths);
        }
        for (String f : List.of(
                "/usr/bin/monitor-cli -> /opt/hbwatch/bin/monitor-cli",
                "/lib/systemd/system/hbwatch-monitor.service",
                "/lib/systemd/system/hbwatch-agent.service",
                "/etc/hbwatch/targets.txt",
                "/etc/default/hbwatch-monitor",
                "/etc/default/hbwatch-agent",
                "/usr/share/doc/hbwatch/copyright")) {
            assertTrue(paths.contains(f), f + " is missing from " + paths);
        }
        assertTrue(contents.out().contains("-rwxr-xr-x root/root")
                && contents.out().contains("./opt/hbwatch/bin/monitor-cli"));

        Run info = run(List.of("dpkg-deb", "-f", DEB.toString(), "Package", "Version", "Architecture", "Depends"));
        assertEquals(0, info.code(), info.out());
        assertTrue(info.out().contains("Package: hbwatch"), info.out());
        assertTrue(info.out().contains("Version: " + TOP.substring("hbwatch-".length())), info.out());
        assertTrue(info.out().contains("Architecture: all"), info.out());
        assertTrue(info.out().contains("Depends: default-jre-headless"), info.out());
        Run conffiles = run(List.of("dpkg-deb", "-I", DEB.toString(), "conffiles"));
        assertEquals(
                List.of("/etc/hbwatch/targets.txt", "/etc/default/hbwatch-monitor", "/etc/default/hbwatch-agent"),
                conffiles.out().lines().map(String::strip).toList());
    }

    @Test
    void theUnitsPassSystemdAnalyzeVerify() throws Exception {
        assumeTrue(onPath("systemd-analyze"), "no systemd-analyze here");
        // The units name /opt/hbwatch; checked against an unpacked copy, so that their commands exist.
        Path home = unpack();
        Path units = Files.createDirectories(tmp.resolve("units"));
        List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
        try (var files = Files.list(UNITS)) {
            for (Path unit : files.toList()) {
                String text = Files.readString(unit);
                assertTrue(text.contains("/opt/hbwatch/"), unit + " does not run what the package installs");
                Path copy = units.resolve(unit.getFileName());
                Files.writeString(copy, text.replace("/opt/hbwatch", home.toString()));
                cmd.add(copy.toString());
            }
        }
        assertEquals(4, cmd.size(), "two units: " + cmd);
        Run verify = run(cmd);
        assertEquals(0, verify.code(), verify.out());
        assertEquals("", verify.out().strip(), "systemd-analyze had something to say");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
