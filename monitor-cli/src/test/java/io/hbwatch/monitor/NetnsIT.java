package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.Executable;
import io.hbwatch.testing.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An unreachable host that the test makes itself: a fresh network namespace whose loopback is
 * down. The built executable runs inside it and must report DOWN {@code unreachable}, then UP once
 * the test brings the loopback up, then print its summary and exit 0 on SIGTERM.
 */
class NetnsIT {

    @ParameterizedTest
    @ValueSource(strings = {"icmp", "tcp"})
    void loopbackDownIsUnreachableAndUpAgain(String probe) throws Exception {
        String ip = ipCommand();
        String ns = "hbw-it-" + ProcessHandle.current().pid() + "-" + probe + "-" + (System.nanoTime() % 100_000);
        run(ip, "netns", "add", ns);
        try (Executable monitor = Executable.start(
                List.of(ip, "netns", "exec", ns),
                "127.0.0.1:7777",
                "--job",
                "ping",
                "--probe",
                probe,
                "--interval",
                "200ms",
                "--format",
                "json")) {
            monitor.awaitOut("\"state\":\"DOWN\",\"reason\":\"unreachable\"", Duration.ofSeconds(30));
            run(ip, "netns", "exec", ns, ip, "link", "set", "lo", "up");
            monitor.awaitOut("\"state\":\"UP\"", Duration.ofSeconds(30));
            // SIGTERM, an interrupted run; not Process.destroy(), which also closes our end of the pipes.
            Signals.send("TERM", monitor.process().pid());
            assertEquals(0, monitor.awaitExit(), monitor::toString);
            assertTrue(monitor.err().contains("--- 127.0.0.1:7777 monitor-cli statistics ---"), monitor::toString);
            assertTrue(monitor.err().contains("now UP"), monitor::toString);
        } finally {
            run(ip, "netns", "del", ns);
        }
    }

    /** The {@code ip} tool, or the test is skipped saying why; also skipped unless root. */
    static String ipCommand() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root: skipped");
        String ip = Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst()
                .orElse(null);
        Assumptions.assumeTrue(ip != null, "no 'ip' command (iproute2): skipped");
        return ip;
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            String output = new String(p.getInputStream().readAllBytes());
            Assumptions.assumeTrue(
                    !output.contains("Operation not permitted"), "network namespaces not permitted here: skipped");
            throw new AssertionError(String.join(" ", cmd) + " failed: " + output);
        }
    }
}
