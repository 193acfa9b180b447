package io.hbwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line's answers to help and to mistakes: one line and exit code 2, never a trace. */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: java -jar hb-agent.jar"));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--port banana|hbwatch: port: 'banana' is not a port number from 0 to 65535",
                "--nope 1|hbwatch: unknown option --nope",
                "stray|hbwatch: 'stray' is not an option like --port 7777",
                "--interval|hbwatch: --interval needs a value",
                "attach|hbwatch: usage: java -jar hb-agent.jar attach PID",
                "attach abc|hbwatch: attach: 'abc' is not a process id",
                "attach 1 interval=banana|hbwatch: attach: interval: 'banana' is not a duration"
            })
    void aMistakeIsOneLineAndExitCodeTwo(String args, String start) {
        assertEquals(2, run(args.split(" ")));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith(start), text);
        assertEquals(1, text.lines().count(), text);
    }
}
