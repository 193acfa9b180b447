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
}
