package io.hbwatch.monitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --targets FILE}: the syntax of a line, and one clear line naming the line for each mistake. */
class TargetsFileTest {
    @TempDir
    Path tmp;

    @Test
    void wordsSplitAtBlanksKeepQuotesAndStopAtAComment() {
        assertEquals(List.of("10.0.0.5:7777", "--job", "all"), TargetsFile.words("  10.0.0.5:7777\t--job all "));
        assertEquals(List.of("h:1", "--pid", "my app"), TargetsFile.words("h:1 --pid 'my app' # the shop"));
        assertEquals(
                List.of("h:1", "--jolokia", "http://h:8778/jolokia#x"),
                TargetsFile.words("h:1 --jolokia http://h:8778/jolokia#x"));
        assertEquals(List.of(), TargetsFile.words("# a comment"));
        assertEquals(List.of(), TargetsFile.words("   "));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "127.0.0.1:7777 --job bogus|:2: Invalid value for option '--job'",
                "127.0.0.1:7777 10.0.0.5:7777|:2: one target per line, but '10.0.0.5:7777' follows the first",
                "127.0.0.1:7777 --metrics :9400|:2: '--metrics' is not an option of a target",
                "127.0.0.1|:2: '127.0.0.1' has no port: --job hb needs host:port",
                "--job ping|:2: no target: start the line with HOST:PORT",
                "127.0.0.1:7777 --pid 'sleep|:2: a quote (') is not closed",
                "127.0.0.1:7777 --interval 5|:2: Invalid value for option '--interval'",
                "127.0.0.1:1 # the same as line 1|:2: 127.0.0.1:1 is already watched on line 1",
                "pid:1234|:2: 'pid:1234' is found in the registry on the command line only"
            })
    void aMalformedLineIsOneLineNamingItAndExitThree(String line, String message) throws Exception {
        Path file = tmp.resolve("fleet.txt");
        Files.writeString(file, "127.0.0.1:1\n" + line + "\n");
        CliRun run = CliRun.of("--targets", file.toString(), "--count", "1");
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().startsWith("monitor-cli: " + file + message), run::toString);
        assertFalse(run.err().contains("Exception"), run::toString);
        assertEquals("", run.out());
    }

    @Test
    void aMissingFileOrAnEmptyOneIsOneLine() throws Exception {
        CliRun missing = CliRun.of("--targets", tmp.resolve("nope.txt").toString());
        assertEquals(3, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("nope.txt: cannot read it"), missing::toString);
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "# nothing yet\n\n");
        CliRun none = CliRun.of("--targets", empty.toString());
        assertEquals(3, none.exitCode(), none::toString);
        assertEquals("monitor-cli: " + empty + ": no targets in it\n", none.err());
    }

    @Test
    void aTargetOnTheCommandLineAndAFileIsAUsageError() throws Exception {
        Path file = Files.writeString(tmp.resolve("fleet.txt"), "127.0.0.1:1\n");
        CliRun run = CliRun.of("127.0.0.1:2", "--targets", file.toString());
        assertEquals(3, run.exitCode(), run::toString);
        assertTrue(
                run.err().startsWith("monitor-cli: give the target on the command line or in --targets"),
                run::toString);
    }

    @Test
    void linesInheritTheCommandLinesOptionsAndMayOverrideThem() throws Exception {
        Path file = Files.writeString(
                tmp.resolve("fleet.txt"),
                "# two dead ports\n127.0.0.1:1\n\n127.0.0.1:2 --count 2   # this one twice\n");
        CliRun run = CliRun.of("--targets", file.toString(), "--count", "1", "--format", "json");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(
                List.of("DOWN refused", "DOWN refused"),
                run.states().stream().sorted().toList());
        assertTrue(run.err().contains("\n127.0.0.1:1  hb          1         1  DOWN (refused)\n"), run::toString);
        assertTrue(run.err().contains("\n127.0.0.1:2  hb          2         2  DOWN (refused)\n"), run::toString);
    }

    @Test
    void eachLineHasOnlyItsOwnOptionsAndWhatItInherits() throws Exception {
        Path file = Files.writeString(
                tmp.resolve("fleet.txt"),
                "a:1 --job jmx --interval 5s --timeout 7s --secret s1 --count 3 --detector phi\n"
                        + "b:2\n"
                        + "c:3 --job ping --interval 2s\n"
                        + "d:4 --pid 'my app'\n"
                        + "e:5 --job ping --interval 2s\n"
                        + "f:6\n");
        List<TargetsFile.Entry> entries =
                TargetsFile.read(file, List.of("--interval", "750ms", "--misses", "4"), o -> {});
        MonitorOptions a = entries.get(0).options();
        MonitorOptions b = entries.get(1).options();
        MonitorOptions c = entries.get(2).options();
        MonitorOptions d = entries.get(3).options();
        assertEquals("a:1", a.target.toString());
        assertEquals(JobName.jmx, a.job);
        assertEquals(java.time.Duration.ofSeconds(5), a.interval);
        assertEquals(java.time.Duration.ofSeconds(7), a.timeout);
        assertEquals("s1", a.secret);
        assertEquals(3L, a.count);
        assertEquals(DetectorName.phi, a.detector);
        assertEquals(4, a.misses);
        // Nothing of line 1 is left over in line 2: only the command line's options and the defaults.
        MonitorOptions fresh = TargetsFile.options(List.of("b:2"), List.of("--interval", "750ms", "--misses", "4"));
        assertEquals("b:2", b.target.toString());
        assertEquals(fresh.job, b.job);
        assertEquals(java.time.Duration.ofMillis(750), b.interval);
        assertEquals(null, b.timeout);
        assertEquals(null, b.secret);
        assertEquals(null, b.count);
        assertEquals(fresh.detector, b.detector);
        assertEquals(4, b.misses);
        assertEquals(JobName.ping, c.job);
        assertEquals(java.time.Duration.ofSeconds(2), c.interval);
        assertEquals(null, c.pid);
        assertEquals("my app", d.pid);
        assertEquals(java.time.Duration.ofMillis(750), d.interval);
        // Lines that differ only in their target: each has its own target and the same options.
        MonitorOptions e = entries.get(4).options();
        MonitorOptions f = entries.get(5).options();
        assertEquals("e:5", e.target.toString());
        assertEquals(JobName.ping, e.job);
        assertEquals(java.time.Duration.ofSeconds(2), e.interval);
        assertEquals("f:6", f.target.toString());
        assertEquals("b:2", b.target.toString());
        assertEquals(java.time.Duration.ofMillis(750), f.interval);
        assertEquals(6, java.util.Set.of(a, b, c, d, e, f).size(), "each line its own object");
    }
}
