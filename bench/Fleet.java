import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One monitor-cli watching a fleet: HB heartbeat streams at 1 s beats from two standalone agents
 * (HB/2 subscribers each, told apart by the loopback address the monitor connects to: 127.0.x.y),
 * plus JMX Jolokia polls every 1 s of one agent-carrying JVM. Reports the monitor's CPU (from
 * /proc, over a steady window), its memory (RSS, peak RSS) and threads, and the detection latency
 * of a frozen agent (SIGSTOP 100 ms after a beat: DOWN timeout for each of its streams, measured
 * from that beat as this harness received it) and of a killed one (SIGKILL: DOWN closed or refused, from the kill).
 *
 * <p>Usage (bench/fleet.sh): java bench/Fleet.java HB JMX [STEADY_SECONDS [fake|spread]]; {@code fake}
 * ({@code spread}: their beats spread across the second, see FakeAgent), or
 * more than 20,000 streams, has fake agents carry all streams but one frozen and one killed
 */
public final class Fleet {
    static final Path ROOT = Path.of(System.getProperty("hbwatch.root", "."));
    static final Path AGENT = ROOT.resolve("agent/target/hb-agent.jar");
    static final Path APPS = ROOT.resolve("agent/target/test-classes");
    /** The monitor under test: -Dhbwatch.monitor=PATH (fleet.sh: MONITOR=PATH) for another build beside this one. */
    static final Path MONITOR = Path.of(System.getProperty(
            "hbwatch.monitor", ROOT.resolve("monitor-cli/target/monitor-cli").toString()));
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final Pattern EVENT = Pattern.compile(
            "\"time\":\"([^\"]+)\",\"job\":\"(\\w+)\",\"target\":\"([^\"]+)\",\"subject\":\"[^\"]+\",\"state\":\"(\\w+)\"(?:,\"reason\":\"([^\"]+)\")?");

    /** The latest event of each job and target: "hb 127.0.0.1:7777" -> [state, reason, epoch ms]. */
    static final Map<String, String[]> LATEST = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int hb = Integer.parseInt(args[0]);
        int jmx = Integer.parseInt(args[1]);
        int steadyS = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path tmp = Files.createTempDirectory("hbw-fleet");
        List<Process> procs = new ArrayList<>();
        try {
            // Past 20,000 streams (two agents at their ceiling of subscribers, and their accept rate
            // of 200 a second), A and B carry one stream each, the frozen and the killed target among
            // all the others, and fake agents in this process carry the rest (FakeAgent).
            String mode = args.length > 3 ? args[3] : "";
            boolean spread = mode.equals("spread");
            boolean many = hb > 20_000 || mode.equals("fake") || spread;
            Process a = standalone(tmp, "a", many ? 2 : hb);
            Process b = standalone(tmp, "b", many ? 2 : hb);
            procs.add(a);
            procs.add(b);
            int portA = port(tmp.resolve("a.json"), a, "heartbeat");
            int portB = port(tmp.resolve("b.json"), b, "heartbeat");
            List<Integer> bulkPorts = new ArrayList<>();
            for (int k = 0; many && k * MAX_PER_AGENT < hb - 2; k++) {
                bulkPorts.add(FakeAgent.start(spread));
            }
            int jolokia = 0;
            if (jmx > 0) {
                Process j = new ProcessBuilder(JAVA, "-javaagent:" + AGENT.toAbsolutePath()
                                + "=port=0,jolokia=127.0.0.1:0,portFile=" + tmp.resolve("j.json"),
                                "-cp", APPS.toString(), "io.hbwatch.testing.apps.SleepApp")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                procs.add(j);
                jolokia = port(tmp.resolve("j.json"), j, "jolokia");
            }
            List<String> lines = new ArrayList<>();
            List<String> ofA = new ArrayList<>();
            List<String> ofB = new ArrayList<>();
            for (int i = 0; i < hb; i++) {
                String target;
                if (!many) {
                    target = address(i / 2) + ":" + (i % 2 == 0 ? portA : portB);
                    (i % 2 == 0 ? ofA : ofB).add("hb " + target);
                } else if (i < 2) {
                    target = address(0) + ":" + (i == 0 ? portA : portB);
                    (i == 0 ? ofA : ofB).add("hb " + target);
                } else {
                    int k = (i - 2) / MAX_PER_AGENT;
                    target = address((i - 2) % MAX_PER_AGENT) + ":" + bulkPorts.get(k);
                }
                lines.add(target);
            }
            for (int i = 0; i < jmx; i++) {
                lines.add(address(i) + ":1 --job jmx --jolokia http://127.0.0.1:" + jolokia + "/jolokia");
            }
            Path file = Files.write(tmp.resolve("fleet.txt"), lines);
            Process monitor = new ProcessBuilder(MONITOR.toString(), "--targets", file.toString(), "--format", "json")
                    .redirectError(tmp.resolve("monitor.err").toFile())
                    .start();
            procs.add(monitor);
            System.out.println("the monitor's stderr: " + tmp.resolve("monitor.err"));
            readEvents(monitor);
            long t0 = System.nanoTime();
            awaitAll(lines.size(), "UP", 120);
            System.out.printf(Locale.ROOT, "all %d targets UP after %.1f s%n", lines.size(), (System.nanoTime() - t0) / 1e9);
            Thread.sleep(5000); // past the start-up
            long[] cpu0 = cpuTicks(monitor.pid());
            long w0 = System.nanoTime();
            Thread.sleep(steadyS * 1000L);
            long[] cpu1 = cpuTicks(monitor.pid());
            double wallS = (System.nanoTime() - w0) / 1e9;
            double cores = (cpu1[0] - cpu0[0]) / 100.0 / wallS; // USER_HZ is 100 on Linux
            Map<String, String> status = status(monitor.pid());
            System.out.printf(Locale.ROOT, "monitor CPU %.3f cores over %.0f s; RSS %s, peak %s; %s threads%n",
                    cores, wallS, status.get("VmRSS"), status.get("VmHWM"), status.get("Threads"));
            System.out.printf(Locale.ROOT, "monitor RSS per stream over a single target's 51 MB: %.1f KiB%n",
                    (Long.parseLong(status.get("VmRSS").replaceAll("[^0-9]", "")) - 51 * 1000) * 1.0 / Math.max(1, lines.size()));

            // A: frozen right after a beat.
            long beatMs = afterNextBeat(portA);
            Thread.sleep(100); // the agent writes one beat to each subscriber in turn: let it finish this one
            signal("STOP", a.pid());
            List<Long> frozen = awaitEach(ofA, "DOWN", "timeout", beatMs, 60);
            signal("CONT", a.pid());
            System.out.println("SIGSTOP -> DOWN timeout, from the last beat, ms: " + summary(frozen));
            awaitAll(lines.size(), "UP", 60);
            // B: killed.
            Thread.sleep(500);
            long killMs = System.currentTimeMillis();
            b.destroyForcibly();
            List<Long> killed = awaitEach(ofB, "DOWN", null, killMs, 60);
            System.out.println("SIGKILL -> DOWN, from the kill, ms: " + summary(killed));
        } finally {
            for (Process p : procs) {
                signal("CONT", p.pid());
                p.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * A beat server with none of the agent's limits, for the bulk of a fleet past 20,000 streams:
     * one thread, one selector, every connection accepted, its first line read and ignored, and one
     * beat a second, as the standalone agent writes them (subject {@code host}), to every
     * connection; one that cannot take its beat is closed. What it measures is the monitor.
     *
     * <p>By default it writes every connection's beat at once, a burst a second, as one agent with
     * many subscribers does. {@code spread} writes them in {@link #SLOTS} slices across the second,
     * each connection in its own slice, as a fleet of agents, each beating on its own clock, does.
     */
    static final class FakeAgent implements Runnable {
        private final java.nio.channels.ServerSocketChannel server;
        private final java.nio.channels.Selector selector;
        private final String instance = Long.toHexString(0x1000000000000000L | new java.util.Random().nextLong() >>> 4);
        /** Slices of the second that {@code spread} writes the beats in, 10 ms apart. */
        static final int SLOTS = 100;

        private final boolean spread;
        /** The connections in the order they came: slice k of a second writes its k-th share. */
        private final List<java.nio.channels.SocketChannel> connections = new ArrayList<>();

        private FakeAgent(boolean spread) throws IOException {
            this.spread = spread;
            selector = java.nio.channels.Selector.open();
            server = java.nio.channels.ServerSocketChannel.open();
            server.bind(new InetSocketAddress("0.0.0.0", 0), 4096);
            server.configureBlocking(false);
            server.register(selector, java.nio.channels.SelectionKey.OP_ACCEPT);
        }

        /** Starts one on a free port of every address, and returns the port. */
        static int start(boolean spread) throws IOException {
            FakeAgent a = new FakeAgent(spread);
            Thread t = new Thread(a, "fake-agent");
            t.setDaemon(true);
            t.start();
            return ((InetSocketAddress) a.server.getLocalAddress()).getPort();
        }

        @Override
        public void run() {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(4096);
            long seq = 0;
            long next = System.nanoTime();
            try {
                while (true) {
                    long wait = (next - System.nanoTime()) / 1_000_000L;
                    if (wait > 0) {
                        selector.select(wait);
                    } else {
                        selector.selectNow();
                    }
                    for (java.nio.channels.SelectionKey k : selector.selectedKeys()) {
                        if (k.isAcceptable()) {
                            java.nio.channels.SocketChannel c;
                            while ((c = server.accept()) != null) {
                                c.configureBlocking(false);
                                c.register(selector, java.nio.channels.SelectionKey.OP_READ);
                                connections.add(c);
                            }
                        } else if (k.isReadable()) {
                            in.clear();
                            try {
                                if (((java.nio.channels.SocketChannel) k.channel()).read(in) < 0) {
                                    k.channel().close();
                                }
                            } catch (IOException e) {
                                k.channel().close(); // reset by the monitor
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                    if (System.nanoTime() - next >= 0) {
                        // One slice a turn: the whole second's connections in one burst, or a
                        // hundredth of them every 10 ms with spread.
                        int slots = spread ? SLOTS : 1;
                        int slot = (int) (seq % slots);
                        if (slot == 0) {
                            connections.removeIf(c -> !c.isOpen());
                        }
                        next += 1_000_000_000L / slots;
                        long second = seq++ / slots + 1; // every slice of one second writes the same seq
                        byte[] beat = ("{\"v\":1,\"instance\":\"" + instance + "\",\"seq\":" + second
                                        + ",\"time\":" + System.currentTimeMillis()
                                        + ",\"interval\":1000,\"subject\":\"host\",\"status\":\"UP\"}\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(beat.length);
                        int n = connections.size();
                        for (int i = slot * n / slots; i < (slot + 1) * n / slots; i++) {
                            java.nio.channels.SocketChannel c = connections.get(i);
                            out.clear();
                            out.put(beat).flip();
                            try {
                                if (c.isOpen() && c.write(out) < beat.length) {
                                    c.close(); // could not take a 130-byte beat: a subscriber that stopped
                                }
                            } catch (IOException e) {
                                c.close();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static String address(int i) {
        return "127.0." + (i / 250) + "." + (i % 250 + 1);
    }

    /** The most streams one fake agent carries. */
    static final int MAX_PER_AGENT = 12_500;

    static Process standalone(Path tmp, String name, int hb) throws IOException {
        return new ProcessBuilder(JAVA, "-jar", AGENT.toAbsolutePath().toString(), "--port", "0", "--iface", "0.0.0.0",
                        "--interval", "1s", "--maxSubscribers", Integer.toString(Math.min(10_000, hb / 2 + 16)), "--maxPending", "256", "--subscriberBuffer", "4k", "--portFile",
                        tmp.resolve(name + ".json").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    static int port(Path portFile, Process p, String field) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(portFile)) {
                Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(Files.readString(portFile));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("exited with " + p.exitValue());
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no port file " + portFile);
    }

    static void readEvents(Process monitor) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = EVENT.matcher(line);
                    if (m.find()) {
                        LATEST.put(m.group(2) + " " + m.group(3), new String[] {
                            m.group(4), m.group(5), Long.toString(Instant.parse(m.group(1)).toEpochMilli())
                        });
                    }
                }
            } catch (IOException e) {
                // the monitor is gone
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static void awaitAll(int n, String state, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (LATEST.values().stream().filter(v -> v[0].equals(state)).count() < n) {
            if (System.nanoTime() > deadline) {
                Map<String, Long> seen = LATEST.values().stream()
                        .collect(java.util.stream.Collectors.groupingBy(v -> v[0] + " " + v[1], java.util.stream.Collectors.counting()));
                throw new IllegalStateException(LATEST.values().stream().filter(v -> v[0].equals(state)).count()
                        + " of " + n + " " + state + " after " + seconds + " s; latest events: " + seen + " of " + LATEST.size());
            }
            Thread.sleep(50);
        }
    }

    /** Waits until every one of {@code keys} is in {@code state}; returns each event's time minus {@code fromMs}. */
    static List<Long> awaitEach(List<String> keys, String state, String reason, long fromMs, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<Long> ms = new ArrayList<>();
            for (String k : keys) {
                String[] v = LATEST.get(k);
                if (v != null && v[0].equals(state) && (reason == null || reason.equals(v[1]))) {
                    ms.add(Long.parseLong(v[2]) - fromMs);
                }
            }
            if (ms.size() == keys.size()) {
                return ms;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(ms.size() + " of " + keys.size() + " " + state + " within " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    /** Subscribes to the agent and returns (epoch ms) when the next beat arrives. */
    static long afterNextBeat(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = s.getOutputStream();
            out.write("{}\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            r.readLine(); // the beat sent at once on subscribing
            r.readLine(); // the next one, on the agent's schedule
            return System.currentTimeMillis();
        }
    }

    static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])}; // utime + stime
    }

    static Map<String, String> status(long pid) throws IOException {
        Map<String, String> m = new java.util.HashMap<>();
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            int c = l.indexOf(':');
            if (c > 0) {
                m.put(l.substring(0, c), l.substring(c + 1).trim());
            }
        }
        return m;
    }

    static String summary(List<Long> ms) {
        List<Long> s = new ArrayList<>(ms);
        Collections.sort(s);
        return String.format(Locale.ROOT, "n=%d min %d, median %d, p99 %d, max %d", s.size(), s.get(0),
                s.get(s.size() / 2), s.get((int) Math.min(s.size() - 1, Math.floor(0.99 * s.size()))), s.get(s.size() - 1));
    }

    static void signal(String name, long pid) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
        } catch (IOException | InterruptedException e) {
            // best effort on the way out
        }
    }
}
