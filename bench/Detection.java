import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detection latency of monitor-cli against real processes: kill -9 of the watched JVM to DOWN,
 * SIGSTOP to DOWN and SIGCONT to UP at a 100 ms interval, a watched `sleep` killed to DOWN at a
 * 200 ms interval. Each latency is the event's own time stamp (the monitor's clock) minus the
 * moment just before the signal was sent (this harness's clock; same host), so it includes the
 * signal's delivery. Run by bench/detection.sh; needs the built agent jar, its test classes and
 * the monitor-cli executable.
 *
 * <p>Usage: java bench/Detection.java TRIALS
 */
public final class Detection {
    static final Path ROOT = Path.of(System.getProperty("hbwatch.root", "."));
    static final Path AGENT = ROOT.resolve("agent/target/hb-agent.jar");
    static final Path APPS = ROOT.resolve("agent/target/test-classes");
    static final Path MONITOR = ROOT.resolve("monitor-cli/target/monitor-cli");
    static final Pattern EVENT = Pattern.compile("\"time\":\"([^\"]+)\".*\"state\":\"(UP|DEGRADED|DOWN)\"(?:,\"reason\":\"([^\"]+)\")?");
    static final Random RANDOM = new Random(42);

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path tmp = Files.createTempDirectory("hbw-bench");
        List<String> rows = new ArrayList<>();
        rows.add(row("kill -9 of the watched JVM -> DOWN (interval 100ms)", killJvm(tmp, trials), "< 100 ms"));
        List<List<Long>> stopCont = stopAndContinue(tmp, trials);
        rows.add(row("SIGSTOP -> DOWN timeout (interval 100ms, timeout 300 ms)", stopCont.get(0), "< 350 ms"));
        rows.add(row("SIGCONT -> UP, or DEGRADED pause (interval 100ms)", stopCont.get(1), "< 100 ms"));
        rows.add(row("watched `sleep` killed -> DOWN exited (interval 200ms)", killSleep(tmp, trials), "< 250 ms"));
        System.out.println();
        System.out.println("| what | trials | median | worst | goal |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    static List<Long> killJvm(Path tmp, int trials) throws Exception {
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            Process app = startApp(tmp, "interval=100ms");
            try (Monitor m = new Monitor(port(tmp, app), "--interval", "100ms")) {
                m.await("UP", null);
                Thread.sleep(RANDOM.nextInt(100)); // any phase of the beat
                long t0 = System.currentTimeMillis();
                app.toHandle().destroyForcibly(); // SIGKILL
                ms.add(m.await("DOWN", null) - t0);
            } finally {
                app.destroyForcibly().waitFor();
            }
            progress("kill -9", i, ms);
        }
        return ms;
    }

    static List<List<Long>> stopAndContinue(Path tmp, int trials) throws Exception {
        List<Long> down = new ArrayList<>();
        List<Long> up = new ArrayList<>();
        Process app = startApp(tmp, "interval=100ms");
        try (Monitor m = new Monitor(port(tmp, app), "--interval", "100ms")) {
            m.await("UP", null);
            for (int i = 0; i < trials; i++) {
                Thread.sleep(300 + RANDOM.nextInt(100));
                long t0 = System.currentTimeMillis();
                signal("STOP", app.pid());
                down.add(m.await("DOWN", "timeout") - t0);
                Thread.sleep(200 + RANDOM.nextInt(500));
                long t1 = System.currentTimeMillis();
                signal("CONT", app.pid());
                // The first beat after the freeze: UP, or DEGRADED (pause) when the agent's watchdog saw it.
                up.add(m.await("UP|DEGRADED", null) - t1);
                progress("SIGSTOP/SIGCONT", i, down);
            }
        } finally {
            signal("CONT", app.pid());
            app.destroyForcibly().waitFor();
        }
        return List.of(down, up);
    }

    static List<Long> killSleep(Path tmp, int trials) throws Exception {
        List<Long> ms = new ArrayList<>();
        Process app = startApp(tmp, "interval=200ms");
        try {
            int port = port(tmp, app);
            for (int i = 0; i < trials; i++) {
                Process sleep = new ProcessBuilder("sleep", "300").start();
                try (Monitor m = new Monitor(port, "--pid", Long.toString(sleep.pid()))) {
                    m.await("UP", null);
                    Thread.sleep(RANDOM.nextInt(200));
                    long t0 = System.currentTimeMillis();
                    sleep.destroyForcibly(); // SIGKILL
                    ms.add(m.await("DOWN", "exited") - t0);
                } finally {
                    sleep.destroyForcibly().waitFor();
                }
                progress("sleep killed", i, ms);
            }
        } finally {
            app.destroyForcibly().waitFor();
        }
        return ms;
    }

    static Process startApp(Path tmp, String agentArgs) throws IOException {
        Path portFile = tmp.resolve("ports-" + System.nanoTime() + ".json");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-javaagent:" + AGENT.toAbsolutePath() + "=" + agentArgs + ",port=0,jolokia=off,portFile=" + portFile,
                        "-cp",
                        APPS.toString(),
                        "io.hbwatch.testing.apps.SleepApp")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        PORT_FILES.put(p, portFile);
        return p;
    }

    static final java.util.Map<Process, Path> PORT_FILES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Waits (30 s at most) for the app's port file and returns its heartbeat port. */
    static int port(Path tmp, Process app) throws Exception {
        Path portFile = PORT_FILES.get(app);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(portFile)) {
                Matcher m = Pattern.compile("\"heartbeat\":(\\d+)").matcher(Files.readString(portFile));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (!app.isAlive()) {
                throw new IllegalStateException("the app exited with " + app.exitValue());
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no port file within 30 s");
    }

    static void signal(String name, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid + " failed");
        }
    }

    /** monitor-cli --format json on one target, its events read on a thread. */
    static final class Monitor implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Monitor(int port, String... options) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(MONITOR.toString(), "127.0.0.1:" + port, "--format", "json"));
            cmd.addAll(List.of(options));
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // monitor gone
                }
            });
            t.setDaemon(true);
            t.start();
        }

        /** Waits (30 s at most) for an event whose state matches {@code state} (and reason); returns its time, epoch ms. */
        long await(String state, String reason) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("no " + state + " event within 30 s");
                }
                Matcher m = EVENT.matcher(line);
                if (m.find() && m.group(2).matches(state) && (reason == null || reason.equals(m.group(3)))) {
                    return java.time.Instant.parse(m.group(1)).toEpochMilli();
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    static void progress(String what, int i, List<Long> ms) {
        System.err.printf(Locale.ROOT, "%s: trial %d: %d ms%n", what, i + 1, ms.get(ms.size() - 1));
    }

    static String row(String what, List<Long> ms, String goal) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return String.format(Locale.ROOT, "| %s | %d | %.1f ms | %d ms | %s |", what, n, median, sorted.get(n - 1), goal);
    }
}
