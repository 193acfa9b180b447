package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.monitor.support.FakeServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command as users and scripts meet it: exit codes, one-line errors, help, version, completion. */
class MonitorCliTest {

    @Test
    void versionNamesTheProjectVersion() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("monitor-cli 0."), run::toString);
    }

    @Test
    void helpListsEveryContractOptionAndTheExitCodes() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode());
        for (String option : List.of("--job", "--pid", "--interval", "--timeout", "--jolokia", "--count", "--format")) {
            assertTrue(run.out().contains(option), option);
        }
        assertTrue(run.out().contains("3   unknown"), run::toString);
    }

    @Test
    void helpNeverBreaksACommandOrAnUrlAcrossLines() {
        String help = CliRun.of("--help").out();
        for (String whole :
                List.of("source <(monitor-cli --completion)", "http://HOST:8778/jolokia", "http://HOST:PORT/metrics")) {
            assertTrue(help.lines().anyMatch(l -> l.contains(whole)), whole + " is broken up in:\n" + help);
        }
        // and no other URL or process substitution either: each ends on the line where it starts
        java.util.regex.Pattern url = java.util.regex.Pattern.compile("https?://[^\\s]*");
        for (String line : help.lines().toList()) {
            java.util.regex.Matcher m = url.matcher(line);
            while (m.find()) {
                assertTrue(m.group().matches("https?://[^/\\s]+/\\S*"), "a broken URL in: " + line);
            }
            assertTrue(!line.contains("<(") || line.contains(")"), "a broken command in: " + line);
        }
    }

    @Test
    void completionPrintsABashScriptWithoutATarget() {
        CliRun run = CliRun.of("--completion");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("complete -F"), run::toString);
        assertTrue(run.out().contains("--interval"), run::toString);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "127.0.0.1:notaport",
                "127.0.0.1:7777 --interval 5",
                "127.0.0.1:7777 --job bogus",
                "127.0.0.1:7777 --count 0",
                "127.0.0.1:7777 --misses 0",
                "127.0.0.1:7777 --timeout 0ms",
                "127.0.0.1:7777 --format xml",
                "127.0.0.1 --job hb",
                "127.0.0.1 --job ping --pid 1",
                "127.0.0.1:7777 --no-such-option",
                "127.0.0.1:7777 --detector magic",
                "127.0.0.1:7777 --detector phi --phi-threshold 0",
                "127.0.0.1:7777 --metrics 9400",
                "127.0.0.1:7777 --metrics 127.0.0.1:70000",
                "127.0.0.1:7777 --hook-timeout 0ms"
            })
    void aUsageErrorIsOneLineAndExitThree(String args) {
        CliRun run = CliRun.of(args.isEmpty() ? new String[0] : args.split(" "));
        assertEquals(3, run.exitCode(), run::toString);
        String[] lines = run.err().split("\n");
        assertEquals(1, lines.length, run::toString);
        assertTrue(lines[0].startsWith("monitor-cli: "), run::toString);
        assertTrue(lines[0].endsWith("; try 'monitor-cli --help'"), run::toString);
        assertFalse(run.err().contains("Exception"), run::toString);
        assertEquals("", run.out());
    }

    @Test
    void anUnresolvableHostIsOneLineAndExitThree() {
        CliRun run = CliRun.of("no-such-host.invalid:7777", "--count", "1");
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("monitor-cli: cannot resolve host 'no-such-host.invalid'\n", run.err());
    }

    @Test
    void pingOfLoopbackIsUp() {
        CliRun run = CliRun.of("127.0.0.1", "--job", "ping", "--count", "3", "--interval", "100ms");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(
                run.out()
                        .matches(
                                "(?s)HBWATCH OK - 127\\.0\\.0\\.1: ping UP \\| ping_rtt=[0-9.]+ms;;;0\\R"
                                        + "PING 127\\.0\\.0\\.1 \\(127\\.0\\.0\\.1\\) with (ICMP echo|TCP connect to port 7) .*"),
                run::toString);
        assertTrue(run.out().contains(" ping 127.0.0.1 host UP: echo in "), run::toString);
        assertTrue(run.out().contains("ping: 3 checks, 0 failures (0%), rtt min/avg/max = "), run::toString);
        assertFalse(run.out().contains("\u001b["), "no color when not a terminal");
    }

    @Test
    void theTcpProbeCountsARefusalAsAnAnswer() throws Exception {
        int port = FakeServer.freePort();
        CliRun run = CliRun.of(
                "127.0.0.1:" + port,
                "--job",
                "ping",
                "--probe",
                "tcp",
                "--count",
                "2",
                "--interval",
                "50ms",
                "--format",
                "json");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("UP null"), run.states());
        assertTrue(run.err().contains("with TCP connect to port " + port), run::toString);
    }

    @Test
    void allCombinesTheJobsAndExitsWithTheWorst() throws Exception {
        int port = FakeServer.freePort();
        CliRun run = CliRun.of(
                "127.0.0.1:" + port,
                "--job",
                "all",
                "--jolokia",
                "http://127.0.0.1:" + port + "/jolokia",
                "--count",
                "3",
                "--interval",
                "100ms",
                "--format",
                "json");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.out().contains("\"job\":\"ping\""), run::toString);
        assertTrue(run.out().contains("\"job\":\"hb\""), run::toString);
        assertTrue(run.out().contains("\"job\":\"jmx\""), run::toString);
        assertTrue(
                run.err().contains("ping: 3 checks")
                        && run.err().contains("hb: 3 checks")
                        && run.err().contains("jmx: 3 checks"),
                run::toString);
        // ping reports first, so hb's first event already carries the diagnosis
        assertTrue(
                run.out()
                        .contains("nothing listens on 127.0.0.1:" + port
                                + "; the host answers ping-echo: the process is gone"),
                run::toString);
    }
}
