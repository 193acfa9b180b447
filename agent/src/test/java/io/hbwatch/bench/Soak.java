package io.hbwatch.bench;

import io.hbwatch.protocol.JsonParser;
import io.hbwatch.testing.Attacks;
import io.hbwatch.testing.HttpAttacks;
import io.hbwatch.testing.apps.SleepApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak: an app under the agent takes every attack of {@link Attacks} on its heartbeat port and,
 * at the same time, every attack of {@link HttpAttacks} on its Jolokia port, round after round, for
 * a given time, while a subscriber checks each beat. Passes (exit 0) when no beat was missed or
 * late, the app lived, the agent kept its threads (Jolokia's within its workers, accept and
 * deadline threads), its memory and open files came back flat, and Jolokia answers a read
 * afterwards. Run through {@code bench/soak.sh SECONDS}.
 *
 * <p>Arguments: {@code AGENT_JAR SECONDS [MONITOR_CLI]}. With the monitor's executable, the monitor
 * watches too ({@code --job hb --format json --timeout 2s}) and must report nothing but UP.
 */
public final class Soak {
    private static final long INTERVAL_MS = 200;
    /** A beat made later than this after the one before counts as late. */
    private static final long LATE_MS = 3 * INTERVAL_MS;
    /** Growth of resident memory from the first sample to the last that still counts as flat. */
    private static final long FLAT_RSS_KIB = 16 * 1024;
    /** The agent's default {@code jolokiaThreads}. */
    private static final int JOLOKIA_THREADS = 2;

    private Soak() {}

    public static void main(String[] args) throws Exception {
        Path jar = Paths.get(args[0]).toAbsolutePath();
        long seconds = Long.parseLong(args[1]);
        String monitorCli = args.length > 2 ? args[2] : null;
        Path portFile = Files.createTempFile("soak", ".json");
        Files.deleteIfExists(portFile);
        Path monitorOut = Files.createTempFile("soak-monitor", ".jsonl");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Paths.get(SleepApp.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        Process app = new ProcessBuilder(
                        java,
                        // The whole heap committed and touched from the start: resident memory
                        // then grows only if something outside the heap does.
                        "-Xms64m",
                        "-Xmx64m",
                        "-XX:+AlwaysPreTouch",
                        "-javaagent:" + jar + "=port=0,jolokia=127.0.0.1:0,interval=" + INTERVAL_MS + "ms,portFile="
                                + portFile,
                        "-cp",
                        cp,
                        SleepApp.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("soak-app", ".out").toFile())
                .start();
        int exit = 1;
        Process monitor = null;
        try {
            int port = AgentCost.awaitHeartbeatPort(portFile, app);
            int jolokiaPort = jolokiaPort(portFile);
            long pid = app.pid();
            Watcher watcher = new Watcher(port);
            if (monitorCli != null) {
                // --timeout 2s: on a loaded machine the monitor's own JVM may be starved for longer
                // than its default (3 intervals, 600 ms); beats the agent made late are the
                // watcher's to catch, by the agent's own time stamps.
                monitor = new ProcessBuilder(
                                monitorCli, "127.0.0.1:" + port, "--job", "hb", "--format", "json", "--timeout", "2s")
                        .redirectOutput(monitorOut.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
            }
            Thread.sleep(2_000);
            Sample first = Sample.of(pid);
            System.out.println("soak: app " + pid + ", heartbeat on 127.0.0.1:" + port + ", Jolokia on 127.0.0.1:"
                    + jolokiaPort + ", " + seconds + " s of attacks on both");
            System.out.println("soak: start   " + first);

            Attacks attacks = new Attacks(port);
            Thread attacker = new Thread(
                    () -> {
                        try {
                            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                            while (System.nanoTime() - end < 0) {
                                for (String name : Attacks.NAMES) {
                                    if (System.nanoTime() - end >= 0) {
                                        break;
                                    }
                                    attacks.run(name, 2_000);
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "soak-attacker");
            attacker.setDaemon(true);
            attacker.start();
            HttpAttacks httpAttacks = new HttpAttacks(jolokiaPort, "/jolokia/");
            Thread httpAttacker = new Thread(
                    () -> {
                        try {
                            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                            while (System.nanoTime() - end < 0) {
                                for (String name : HttpAttacks.NAMES) {
                                    if (System.nanoTime() - end >= 0) {
                                        break;
                                    }
                                    httpAttacks.run(name, 2_000);
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "soak-http-attacker");
            httpAttacker.setDaemon(true);
            httpAttacker.start();
            int mostJolokiaThreads = 0;
            long sampleEvery = Math.max(5, Math.min(60, seconds / 10));
            // Memory is compared from when the attacks' code paths have been compiled.
            long settleAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(10, seconds / 3));
            Sample settled = null;
            while (attacker.isAlive()) {
                attacker.join(sampleEvery * 1000);
                if (settled == null && System.nanoTime() - settleAt >= 0 && app.isAlive()) {
                    settled = Sample.of(pid);
                    System.out.println("soak: settled " + settled);
                }
                if (app.isAlive()) {
                    Sample now = Sample.of(pid);
                    mostJolokiaThreads = Math.max(mostJolokiaThreads, now.jolokiaThreads());
                    System.out.println("soak: "
                            + String.format(
                                    Locale.ROOT,
                                    "%-7s %-7s ",
                                    attacks.connections.get() + "c",
                                    httpAttacks.connections() + "h")
                            + now + ", " + watcher.summary());
                }
            }
            httpAttacker.join();
            Thread.sleep(3_000); // let the last attackers' connections close
            String answer = jolokiaAnswer(jolokiaPort);
            System.out.println("soak: Jolokia after the attacks: " + answer);
            Sample last = Sample.of(pid);
            System.out.println("soak: end     " + last + ", " + watcher.summary());
            List<String> failures = new ArrayList<>();
            if (!app.isAlive()) {
                failures.add("the app died");
            }
            failures.addAll(watcher.failures());
            if (!last.steadyThreads().equals(first.steadyThreads())) {
                failures.add("the agent's threads changed: " + first.threads + " -> " + last.threads);
            }
            if (mostJolokiaThreads > JOLOKIA_THREADS + 2) {
                failures.add("Jolokia ran " + mostJolokiaThreads + " threads, more than its " + JOLOKIA_THREADS
                        + " workers, the accept thread and the deadline thread");
            }
            if (!answer.contains("\"status\":200")) {
                failures.add("Jolokia did not answer a read after the attacks");
            }
            Sample base = settled == null ? first : settled;
            if (last.rssKiB - base.rssKiB > FLAT_RSS_KIB) {
                failures.add("resident memory grew by " + (last.rssKiB - base.rssKiB) / 1024 + " MiB after settling");
            }
            if (last.fds > first.fds + 2) {
                failures.add("open files grew from " + first.fds + " to " + last.fds);
            }
            watcher.close();
            if (monitor != null) {
                monitor.destroy(); // SIGTERM: the monitor ends its run normally
                monitor.waitFor(10, TimeUnit.SECONDS);
                List<String> events = Files.readAllLines(monitorOut);
                System.out.println("soak: the monitor printed " + events.size() + " event(s):");
                events.forEach(e -> System.out.println("  " + e));
                if (events.isEmpty() || events.stream().anyMatch(e -> !e.contains("\"state\":\"UP\""))) {
                    failures.add("the monitor saw a state other than UP, or nothing");
                }
            } else {
                System.out.println("soak: no monitor-cli given: the watcher alone watched");
            }
            if (failures.isEmpty()) {
                System.out.println("soak: PASS, " + attacks.connections.get()
                        + " hostile connections to the heartbeat port, " + httpAttacks.connections() + " to Jolokia's");
                exit = 0;
            } else {
                failures.forEach(f -> System.out.println("soak: FAIL: " + f));
            }
        } finally {
            if (monitor != null) {
                monitor.destroyForcibly();
            }
            app.destroyForcibly();
            app.waitFor(10, TimeUnit.SECONDS);
        }
        System.exit(exit);
    }

    /** The port file's Jolokia port. */
    private static int jolokiaPort(Path portFile) throws IOException {
        Matcher m = Pattern.compile("\"jolokia\":(\\d+)").matcher(Files.readString(portFile));
        if (!m.find()) {
            throw new IllegalStateException("no Jolokia port in " + portFile);
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * What Jolokia answers a read of the Heartbeat MBean, trying for up to 30 s: a connection the
     * last attack left half-sent may hold a worker for {@code jolokiaTimeout} (10 s).
     */
    private static String jolokiaAnswer(int port) throws InterruptedException {
        String last = "";
        for (int i = 0; i < 30; i++) {
            try {
                HttpURLConnection c = (HttpURLConnection)
                        new URL("http://127.0.0.1:" + port + "/jolokia/read/hbwatch:type=Heartbeat/Sequence")
                                .openConnection();
                c.setConnectTimeout(2_000);
                c.setReadTimeout(2_000);
                try {
                    last = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (last.contains("\"status\":200")) {
                        return last;
                    }
                } finally {
                    c.disconnect();
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(1_000);
        }
        return last;
    }

    /** What the app looks like from outside at one moment. */
    private static final class Sample {
        final long rssKiB;
        final int fds;
        final List<String> threads;

        private Sample(long rssKiB, int fds, List<String> threads) {
            this.rssKiB = rssKiB;
            this.fds = fds;
            this.threads = threads;
        }

        static Sample of(long pid) throws IOException {
            Path proc = Paths.get("/proc", Long.toString(pid));
            long rss = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            int fds;
            try (var s = Files.list(proc.resolve("fd"))) {
                fds = (int) s.count();
            }
            List<String> threads = new ArrayList<>();
            try (var tasks = Files.list(proc.resolve("task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        String name = Files.readString(t.resolve("comm")).trim();
                        if (name.startsWith("hbwatch-")) {
                            threads.add(name);
                        }
                    } catch (IOException e) {
                        // ended meanwhile
                    }
                }
            }
            threads.sort(null);
            return new Sample(rss, fds, threads);
        }

        /** The agent's threads but Jolokia's, which come and go with requests. */
        List<String> steadyThreads() {
            List<String> steady = new ArrayList<>();
            for (String t : threads) {
                if (!t.startsWith("hbwatch-jolokia")) {
                    steady.add(t);
                }
            }
            return steady;
        }

        int jolokiaThreads() {
            return threads.size() - steadyThreads().size();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "rss %.1f MiB, %d fds, agent threads %s", rssKiB / 1024.0, fds, threads);
        }
    }

    /** The real subscriber: checks that every beat comes, one after the other, in time. */
    private static final class Watcher implements AutoCloseable {
        private final Socket socket = new Socket();
        private final List<String> failures = new ArrayList<>();
        private volatile long beats;
        private volatile long maxGapMs;
        private volatile long heapUsed;
        private volatile boolean closing;

        Watcher(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout((int) (10 * INTERVAL_MS));
            socket.getOutputStream().write("{}\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Thread t = new Thread(() -> read(in), "soak-watcher");
            t.setDaemon(true);
            t.start();
        }

        private void read(BufferedReader in) {
            long lastSeq = -1;
            long lastTime = -1;
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    Map<String, Object> beat = JsonParser.parseObject(line);
                    long seq = (Long) beat.get("seq");
                    long time = (Long) beat.get("time");
                    heapUsed = (Long) beat.get("heapUsed");
                    if (lastSeq >= 0 && seq != lastSeq + 1 && !(beats == 1 && seq == lastSeq)) {
                        fail("missed beats: " + lastSeq + " then " + seq);
                    }
                    if (lastTime >= 0) {
                        maxGapMs = Math.max(maxGapMs, time - lastTime);
                        if (time - lastTime > LATE_MS) {
                            fail("beat " + seq + " made " + (time - lastTime) + " ms after the one before");
                        }
                    }
                    lastSeq = seq;
                    lastTime = time;
                    beats++;
                }
                if (!closing) {
                    fail("the stream ended");
                }
            } catch (IOException | RuntimeException | JsonParser.JsonException e) {
                if (!closing) {
                    fail("the stream broke: " + e);
                }
            }
        }

        private synchronized void fail(String why) {
            if (failures.size() < 20) {
                failures.add(why);
            }
        }

        synchronized List<String> failures() {
            return new ArrayList<>(failures);
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%d beats, longest gap %d ms, heap used %.1f MiB",
                    beats,
                    maxGapMs,
                    heapUsed / 1048576.0);
        }

        @Override
        public void close() throws IOException {
            closing = true;
            socket.close();
        }
    }
}
