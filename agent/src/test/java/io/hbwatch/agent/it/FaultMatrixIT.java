package io.hbwatch.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.apps.ExitApp;
import io.hbwatch.testing.apps.SleepApp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever goes wrong for the agent, the app runs and exits exactly as it does without it (same
 * exit code, same stdout), and the agent says what went wrong in exactly one {@code hbwatch:} line
 * beside its usual start-up line. The app ({@link ExitApp}) waits until the agent has started, so
 * the agent's lines are all there, then exits with code 3 through {@code System.exit}.
 *
 * <p>A part that can fail on its own (Jolokia's port, a probe) adds its case here: {@link
 * #runApp(String)} with the options that make it fail, then {@code
 * assertLikeTheBaselineWithOneProblem("hbwatch: <its line>")}.
 */
class FaultMatrixIT {
    private static final int EXIT_CODE = 3;
    /** Values tried, in turn, until the option's parser refuses one: new options are covered unasked. */
    private static final List<String> BAD_VALUE_CANDIDATES = List.of("banana", "", "-1", "99999999999", "0");

    private static Run baseline;

    @TempDir
    Path tmp;

    /** Exit code and stdout of the same app without the agent. */
    @BeforeAll
    static void runWithoutTheAgent(@TempDir Path dir) throws Exception {
        Path go = Files.createFile(dir.resolve("go"));
        try (AgentJvm app = AgentJvm.builder(dir)
                .withoutAgent()
                .main(ExitApp.class, Integer.toString(EXIT_CODE), go.toString())
                .start()) {
            baseline = Run.of(app);
        }
        assertEquals(EXIT_CODE, baseline.code);
        assertEquals("", baseline.err);
    }

    static Stream<String> keys() {
        return Keys.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void everyOptionGivenABadValue(String key) throws Exception {
        String bad = BAD_VALUE_CANDIDATES.stream()
                .filter(v ->
                        !ConfigLoader.fromAgentArgs(key + "=" + v).problems().isEmpty())
                .findFirst()
                .orElseThrow(() -> new AssertionError("add a value that " + key + " refuses to the candidates"));
        // The bad value falls back to the config file's, so that no run uses a fixed port.
        Path config = write("safe.properties", "port=0\njolokia=off\n");
        Run run = runApp("config=" + config + "," + key + "=" + bad);
        run.assertLikeTheBaselineWithOneProblem("hbwatch: " + key + ": '" + bad + "' ");
    }

    @Test
    void aBusyHeartbeatPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = runApp("port=" + busy.getLocalPort());
            run.assertLikeTheBaselineWithOneProblem(
                    "hbwatch: heartbeat: cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": ");
            assertTrue(run.announce().startsWith("hbwatch: heartbeat not listening"), run.err);
        }
    }

    @Test
    void aBusyJolokiaPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = runApp("jolokia=127.0.0.1:" + busy.getLocalPort());
            run.assertLikeTheBaselineWithOneProblem(
                    "hbwatch: jolokia: 127.0.0.1:" + busy.getLocalPort() + " is in use (");
            // The heartbeat carries on, without Jolokia.
            assertTrue(run.announce().startsWith("hbwatch: heartbeat on "), run.err);
            assertFalse(run.announce().contains("Jolokia"), run.err);
        }
    }

    @Test
    void aMissingConfigFile() throws Exception {
        Path missing = tmp.resolve("missing.properties");
        runApp("config=" + missing)
                .assertLikeTheBaselineWithOneProblem(
                        "hbwatch: config: cannot read '" + missing + "': no such file; using the other options");
    }

    @Test
    void aConfigFileThatIsADirectory() throws Exception {
        // A directory, not chmod 000: tests may run as root, who reads anything.
        Path dir = Files.createDirectory(tmp.resolve("conf.d"));
        runApp("config=" + dir).assertLikeTheBaselineWithOneProblem("hbwatch: config: cannot read '" + dir + "': ");
    }

    @Test
    void aConfigFileWithABrokenEscape() throws Exception {
        Path config = write("broken.properties", "interval=\\uZZZZ\n");
        runApp("config=" + config)
                .assertLikeTheBaselineWithOneProblem("hbwatch: config: cannot read '" + config + "': Malformed");
    }

    @Test
    void aConfigFileThatIsNotText() throws Exception {
        Path config = tmp.resolve("binary.properties");
        Files.write(config, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n', (byte) 0xc3});
        runApp("config=" + config)
                .assertLikeTheBaselineWithOneProblem(
                        "hbwatch: config: cannot read '" + config + "': not UTF-8 text; using the other options");
    }

    @Test
    void aConfigFileWithABadValue() throws Exception {
        Path config = write("bad.properties", "interval=banana\n");
        runApp("config=" + config).assertLikeTheBaselineWithOneProblem("hbwatch: interval: 'banana' ");
    }

    @Test
    void aConfigFileWithAnUnknownKey() throws Exception {
        Path config = write("unknown.properties", "colour=blue\n");
        runApp("config=" + config)
                .assertLikeTheBaselineWithOneProblem("hbwatch: in " + config + ": unknown option 'colour' ignored");
    }

    @Test
    void anOptionThatIsNotKeyValue() throws Exception {
        runApp("verbose").assertLikeTheBaselineWithOneProblem("hbwatch: 'verbose' is not key=value; ignored");
    }

    @Test
    void theAgentLoadedTwice() throws Exception {
        Path portFile = tmp.resolve("twice.json");
        String first =
                "-javaagent:" + AgentJvm.agentJar().toAbsolutePath() + "=port=0,jolokia=off,portFile=" + portFile;
        Run run = runApp(AgentJvm.builder(tmp).jvmArgs(first), "portFile=" + portFile);
        // "(heartbeat on ...)" follows when the first copy is listening by then: a race, both fine.
        run.assertLikeTheBaselineWithOneProblem("hbwatch: already running in this JVM");
    }

    @Test
    void attachingOntoTheAgentStartedByJavaagent() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp).main(SleepApp.class).start()) {
            int port = app.awaitPorts().heartbeat();
            AttachIT.Result r = AttachIT.attach(app.pid(), "port=0");
            assertEquals(0, r.code(), r.toString());
            assertEquals(
                    "hbwatch: already running in " + app.pid() + "; heartbeat on 127.0.0.1:" + port
                            + "; the options given now are ignored\n",
                    r.out());
            assertEquals("", r.err());
            assertEquals(1, AgentIT.hbwatchLines(app).size(), app.stderr());
        }
    }

    @Test
    void mainReturnsAtOnce() throws Exception {
        Run without;
        try (AgentJvm app =
                AgentJvm.builder(tmp).withoutAgent().main(ExitApp.class).start()) {
            without = Run.of(app);
        }
        try (AgentJvm app = AgentJvm.builder(tmp).main(ExitApp.class).start()) {
            Run with = Run.of(app);
            assertEquals(without.code, with.code, with.err);
            assertEquals(without.out, with.out);
            // The app may end before the agent has said where it listens: at most that line.
            assertTrue(with.problems().isEmpty(), with.err);
        }
    }

    @Test
    void mainCallsSystemExitAtOnce() throws Exception {
        Run without;
        try (AgentJvm app = AgentJvm.builder(tmp)
                .withoutAgent()
                .main(ExitApp.class, Integer.toString(EXIT_CODE))
                .start()) {
            without = Run.of(app);
        }
        try (AgentJvm app = AgentJvm.builder(tmp)
                .main(ExitApp.class, Integer.toString(EXIT_CODE))
                .start()) {
            Run with = Run.of(app);
            assertEquals(EXIT_CODE, with.code, with.err);
            assertEquals(without.out, with.out);
            assertTrue(with.problems().isEmpty(), with.err);
        }
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    private Run runApp(String agentArgs) throws Exception {
        return runApp(AgentJvm.builder(tmp), agentArgs);
    }

    /** Runs {@link ExitApp} under the agent, letting it exit once the agent has announced itself. */
    private Run runApp(AgentJvm.Builder builder, String agentArgs) throws Exception {
        Path go = tmp.resolve("go-" + System.nanoTime());
        try (AgentJvm app = builder.agentArgs(agentArgs)
                .main(ExitApp.class, Integer.toString(EXIT_CODE), go.toString())
                .start()) {
            app.awaitOutput("hbwatch: heartbeat "); // "heartbeat on ..." or "heartbeat not listening ..."
            Files.createFile(go);
            return Run.of(app);
        }
    }

    /** How one JVM ended. */
    private static final class Run {
        final int code;
        final String out;
        final String err;

        private Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        static Run of(AgentJvm app) throws InterruptedException {
            int code = app.awaitExit(Duration.ofSeconds(60));
            return new Run(code, app.stdout(), app.stderr());
        }

        /** The agent's start-up line, "hbwatch: heartbeat on ..." or "... not listening ...". */
        String announce() {
            return err.lines()
                    .filter(Run::isAnnounce)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no start-up line: " + err));
        }

        /** The agent's lines other than its start-up line. */
        List<String> problems() {
            List<String> lines = err.lines().collect(Collectors.toList());
            for (String l : lines) {
                assertTrue(l.startsWith("hbwatch: "), "not an hbwatch: line (a stack trace?): " + l);
            }
            return lines.stream().filter(l -> !isAnnounce(l)).collect(Collectors.toList());
        }

        private static boolean isAnnounce(String line) {
            return line.startsWith("hbwatch: heartbeat on ") || line.startsWith("hbwatch: heartbeat not listening ");
        }

        void assertLikeTheBaselineWithOneProblem(String problemStart) {
            assertEquals(baseline.code, code, err);
            assertEquals(baseline.out, out, err);
            announce();
            List<String> problems = problems();
            assertEquals(1, problems.size(), err);
            assertTrue(problems.get(0).startsWith(problemStart), "expected '" + problemStart + "...' in: " + err);
            // Bounded, though an unknown key's line lists every known one.
            assertFalse(problems.get(0).length() > 1000, "a line of bounded length: " + problems.get(0));
        }
    }
}
