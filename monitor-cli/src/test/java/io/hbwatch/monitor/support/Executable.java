package io.hbwatch.monitor.support;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The built {@code monitor-cli} executable run as a real process, its output collected line by line. */
public final class Executable implements AutoCloseable {
    /** {@code -Dhbwatch.monitor.executable}, else {@code target/monitor-cli}. */
    public static Path path() {
        String p = System.getProperty("hbwatch.monitor.executable");
        return (p != null ? Paths.get(p) : Paths.get("target", "monitor-cli")).toAbsolutePath();
    }

    /** A PATH holding only the directory of the {@code java} that runs the tests. */
    public static String javaOnlyPath() {
        return Paths.get(System.getProperty("java.home"), "bin").toString();
    }

    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final List<Thread> pumps = new ArrayList<>();

    /** Runs {@code prefix... monitor-cli args...}, e.g. with {@code ip netns exec NS} as prefix. */
    public static Executable start(List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(path().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", javaOnlyPath() + ":/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().remove("JAVA_HOME");
        return new Executable(pb.start());
    }

    private Executable(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), out));
        pumps.add(pump(process.getErrorStream(), err));
    }

    private static Thread pump(InputStream in, StringBuffer into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.append(line).append('\n');
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    public Process process() {
        return process;
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }

    /** Waits (up to {@code atMost}) until stdout contains {@code text}. */
    public void awaitOut(String text, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(10))
                .failFast("monitor-cli exited: " + this, () -> !process.isAlive() && out.indexOf(text) < 0)
                .until(() -> out.indexOf(text) >= 0);
    }

    /** Waits (up to 30 s) for the exit and returns the code. */
    /** Waits (up to {@code atMost}) until stderr contains {@code text}. */
    public void awaitErr(String text, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> err.indexOf(text) >= 0);
    }

    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("monitor-cli did not exit: " + this);
        }
        for (Thread pump : pumps) {
            pump.join(5000); // what is left in the pipes
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
