package io.hbwatch.testing;

import static org.awaitility.Awaitility.await;

import io.hbwatch.protocol.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real JVM started with {@code -javaagent:} on the built {@code hb-agent.jar}, for integration
 * tests. Output is collected so tests can wait for a line; {@link #close()} kills what is left.
 *
 * <pre>
 * try (AgentJvm app = AgentJvm.builder(tmp).agentArgs("interval=100ms").main(SleepApp.class).start()) {
 *     int port = app.awaitPorts().heartbeat();
 *     ...
 * }
 * </pre>
 */
public final class AgentJvm implements AutoCloseable {
    /** The built agent jar: {@code -Dhbwatch.agent.jar}, else {@code agent/target/hb-agent.jar}. */
    public static Path agentJar() {
        String p = System.getProperty("hbwatch.agent.jar");
        if (p != null) {
            return Paths.get(p);
        }
        Path here = Paths.get("target", "hb-agent.jar");
        return Files.exists(here) ? here : Paths.get("..", "agent", "target", "hb-agent.jar");
    }

    /** Class path of the test apps: {@code -Dhbwatch.test.classes}, else this class's location. */
    public static String testClasses() {
        String p = System.getProperty("hbwatch.test.classes");
        if (p != null) {
            return p;
        }
        try {
            return Paths.get(AgentJvm.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Builder builder(Path tempDir) {
        return new Builder(tempDir);
    }

    /** Builds the command line; {@code portFile} and {@code jolokia=off} are set unless given. */
    public static final class Builder {
        private final Path tempDir;
        private Path java = Jdks.current();
        private String agentArgs = "";
        private boolean withAgent = true;
        private final List<String> jvmArgs = new ArrayList<>();
        private String mainClass;
        private final List<String> appArgs = new ArrayList<>();
        private String classPath = testClasses();

        private Builder(Path tempDir) {
            this.tempDir = tempDir;
        }

        public Builder java(Path javaExecutable) {
            this.java = javaExecutable;
            return this;
        }

        /** Agent options, comma-separated; {@code port=0}, {@code jolokia=off} and a port file are added unless given. */
        private boolean defaultPorts;

        public Builder agentArgs(String args) {
            this.agentArgs = args;
            return this;
        }

        /** Leaves the heartbeat and Jolokia on their default ports (7777, 8778), as a user would. */
        public Builder defaultPorts() {
            this.defaultPorts = true;
            return this;
        }

        /** Starts the JVM without the agent, for baselines. */
        public Builder withoutAgent() {
            this.withAgent = false;
            return this;
        }

        public Builder jvmArgs(String... args) {
            jvmArgs.addAll(Arrays.asList(args));
            return this;
        }

        public Builder classPath(String cp) {
            this.classPath = cp;
            return this;
        }

        public Builder main(Class<?> main, String... args) {
            return main(main.getName(), args);
        }

        public Builder main(String main, String... args) {
            this.mainClass = main;
            appArgs.addAll(Arrays.asList(args));
            return this;
        }

        public AgentJvm start() throws IOException {
            Path portFile = tempDir.resolve("ports-" + System.nanoTime() + ".json");
            List<String> cmd = new ArrayList<>();
            cmd.add(java.toString());
            cmd.add("-Xshare:auto");
            cmd.addAll(jvmArgs);
            if (withAgent) {
                StringBuilder args = new StringBuilder(agentArgs);
                if (!defaultPorts) {
                    addUnlessGiven(args, "port", "0");
                    addUnlessGiven(args, "jolokia", "off");
                }
                addUnlessGiven(args, "registry", tempDir.resolve("registry").toString());
                addUnlessGiven(args, "portFile", portFile.toString());
                cmd.add("-javaagent:" + agentJar().toAbsolutePath() + "=" + args);
            }
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(mainClass);
            cmd.addAll(appArgs);
            Process p = new ProcessBuilder(cmd).start();
            return new AgentJvm(p, portFile, cmd);
        }

        private void addUnlessGiven(StringBuilder args, String key, String value) {
            for (String pair : args.toString().split(",")) {
                if (pair.startsWith(key + "=")) {
                    return;
                }
            }
            if (args.length() > 0) {
                args.append(',');
            }
            args.append(key).append('=').append(value);
        }
    }

    /** The ports the agent reported in its port file. {@code jolokia} is -1 when off. */
    public static final class Ports {
        private final int heartbeat;
        private final int jolokia;

        Ports(int heartbeat, int jolokia) {
            this.heartbeat = heartbeat;
            this.jolokia = jolokia;
        }

        public int heartbeat() {
            return heartbeat;
        }

        public int jolokia() {
            return jolokia;
        }
    }

    private final Process process;
    private final Path portFile;
    private final List<String> command;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final List<Thread> pumps = new ArrayList<>();

    private AgentJvm(Process process, Path portFile, List<String> command) {
        this.process = process;
        this.portFile = portFile;
        this.command = command;
        pump(process.getInputStream(), out, "out");
        pump(process.getErrorStream(), err, "err");
    }

    private void pump(InputStream in, StringBuffer into, String name) {
        pumps.add(startPump(in, into, name));
    }

    private static Thread startPump(InputStream in, StringBuffer into, String name) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[8192];
                    try {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                    } catch (IOException e) {
                        // process gone
                    }
                },
                "test-pump-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public Path portFile() {
        return portFile;
    }

    public List<String> command() {
        return command;
    }

    /** Everything the JVM printed on stdout so far. */
    public String stdout() {
        return out.toString();
    }

    /** Everything the JVM printed on stderr so far. */
    public String stderr() {
        return err.toString();
    }

    /** Waits (up to 30 s) for the agent's port file and returns its ports. */
    public Ports awaitPorts() {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .failFast("the JVM exited: " + err, () -> !process.isAlive())
                .until(() -> Files.exists(portFile) && Files.size(portFile) > 0);
        try {
            Map<String, Object> json = JsonParser.parseObject(Files.readString(portFile));
            Object hb = json.get("heartbeat");
            Object jo = json.get("jolokia");
            return new Ports(((Number) hb).intValue(), jo instanceof Number ? ((Number) jo).intValue() : -1);
        } catch (IOException | JsonParser.JsonException e) {
            throw new IllegalStateException("bad port file " + portFile, e);
        }
    }

    /** Waits (up to 30 s) until stdout or stderr contains {@code text}; else fails with both. */
    public void awaitOutput(String text) {
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> out.indexOf(text) >= 0 || err.indexOf(text) >= 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "no '" + text + "' within 30 s" + (process.isAlive() ? "" : " (the JVM exited)") + "; stdout: "
                            + out + "; stderr: " + err,
                    e);
        }
    }

    /**
     * Waits (up to {@code timeout}) for the JVM to exit and returns its exit code; by then {@link
     * #stdout()} and {@link #stderr()} hold everything it printed.
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the JVM did not exit within " + timeout + "; stderr: " + err);
        }
        for (Thread pump : pumps) {
            pump.join(10_000); // the last bytes may still be on their way from the pipe
        }
        return process.exitValue();
    }

    public void sigstop() {
        Signals.stop(pid());
    }

    public void sigcont() {
        Signals.cont(pid());
    }

    public void sigkill() {
        Signals.kill(pid());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                Signals.cont(pid()); // wake a stopped JVM so nothing is left half-dead
            } catch (IllegalStateException e) {
                // it died meanwhile
            }
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
