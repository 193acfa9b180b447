package io.hbwatch.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/demo.sh --fast} end to end, as a newcomer runs it: the built agent, monitor and
 * example service, real signals. It must show the monitor reporting UP and DOWN, exit 0, and leave
 * no process behind; interrupted, it must still end everything it started.
 *
 * <p>Every process the demo starts inherits a unique environment variable, so the test finds any
 * leftover in {@code /proc/PID/environ}, even one re-parented after the script ended.
 */
class DemoIT {
    /** The demo's own bound is two minutes; a slow, loaded machine gets a margin on top. */
    private static final Duration DEMO_LIMIT = Duration.ofMinutes(3);

    private static final String MARK_VARIABLE = "HBWATCH_DEMO_IT";
    private static final Pattern UP = Pattern.compile("(^|[^A-Za-z])UP([^A-Za-z]|$)");
    private static final Pattern DOWN = Pattern.compile("(^|[^A-Za-z])DOWN([^A-Za-z]|$)");

    @TempDir
    Path tmp;

    private final String mark = "demo-it-" + UUID.randomUUID();

    @BeforeAll
    static void needsProcAndBash() {
        assumeTrue(Files.isDirectory(Paths.get("/proc/self")), "no /proc: cannot look for leftover processes");
        assumeTrue(Files.isExecutable(Paths.get("/bin/bash")), "no bash: the demo is a bash script");
    }

    @Test
    void fastDemoShowsUpAndDownExitsZeroAndLeavesNothingBehind() throws Exception {
        Process demo = startDemo();
        Path out = tmp.resolve("demo.out");
        if (!demo.waitFor(DEMO_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            killLeftovers();
            fail("demo.sh --fast still running after " + DEMO_LIMIT + "; its output:\n" + read(out));
        }
        String output = read(out);
        List<String> monitorLines =
                output.lines().filter(l -> !l.startsWith("demo:")).collect(Collectors.toList());

        assertEquals(0, demo.exitValue(), "demo.sh --fast failed; its output:\n" + output);
        assertTrue(monitorLines.stream().anyMatch(l -> UP.matcher(l).find()), "no UP shown:\n" + output);
        assertTrue(monitorLines.stream().anyMatch(l -> DOWN.matcher(l).find()), "no DOWN shown:\n" + output);
        assertTrue(output.contains("demo: done in "), output);
        assertNothingLeft(output);
    }

    @Test
    void interruptedDemoEndsEverythingItStarted() throws Exception {
        Process demo = startDemo();
        Path out = tmp.resolve("demo.out");
        // Once the monitor runs, the service and the monitor are both up: the most to clean.
        await().atMost(Duration.ofMinutes(2)).until(() -> read(out).contains("demo: watching it:") || !demo.isAlive());
        assertTrue(demo.isAlive(), "demo.sh ended before the monitor started:\n" + read(out));

        // Ctrl-C is a SIGINT. A build started in the background has SIGINT ignored (shells do
        // that to background commands), the demo inherits that, and a shell cannot trap a signal
        // ignored when it started: then SIGTERM, which runs the same trap, stands in for it.
        boolean sigint = !sigintIgnoredHere();
        new ProcessBuilder("kill", sigint ? "-INT" : "-TERM", Long.toString(demo.pid()))
                .inheritIO()
                .start()
                .waitFor();
        if (!demo.waitFor(60, TimeUnit.SECONDS)) {
            killLeftovers();
            fail("demo.sh still running a minute after SIG" + (sigint ? "INT" : "TERM") + ":\n" + read(out));
        }
        String output = read(out);
        assertEquals(sigint ? 130 : 143, demo.exitValue(), output);
        assertTrue(output.contains("demo: interrupted"), output);
        assertNothingLeft(output);
    }

    /** Whether this JVM, and so the demo it starts, has SIGINT ignored ({@code SigIgn} bit 2). */
    private static boolean sigintIgnoredHere() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(
                        line.substring("SigIgn:".length()).trim(), 16);
                return (ignored & (1L << (2 - 1))) != 0;
            }
        }
        return true;
    }

    private Process startDemo() throws IOException {
        Path root = Paths.get(System.getProperty("hbwatch.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path script = root.resolve("examples").resolve("demo.sh");
        // --no-build: Maven has just packaged every module; the demo must not start another build.
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString(), "--fast", "--no-build")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("demo.out").toFile());
        pb.environment().put(MARK_VARIABLE, mark);
        pb.environment().put("TMPDIR", tmp.toString());
        pb.environment().put("NO_COLOR", "1");
        return pb.start();
    }

    private void assertNothingLeft(String output) {
        // The script waits for what it kills, so this is immediate; the margin covers a loaded machine.
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> leftovers().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> left = leftovers();
            killLeftovers();
            fail("demo.sh left processes behind: " + left + "\n" + output);
        }
    }

    /** Processes carrying this test's mark, as "PID command line". */
    private List<String> leftovers() {
        byte[] needle = (MARK_VARIABLE + "=" + mark).getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                try {
                    if (contains(Files.readAllBytes(p.resolve("environ")), needle)) {
                        String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                                .replace('\0', ' ')
                                .trim();
                        found.add(p.getFileName() + " " + cmd);
                    }
                } catch (IOException | SecurityException gone) {
                    // ended meanwhile, or not ours to read: not a leftover of this test
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    private void killLeftovers() {
        for (String p : leftovers()) {
            ProcessHandle.of(Long.parseLong(p.split(" ", 2)[0])).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
