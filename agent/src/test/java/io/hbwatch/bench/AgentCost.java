package io.hbwatch.bench;

import com.sun.tools.attach.VirtualMachine;
import io.hbwatch.testing.apps.TimedApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What the agent costs its host, side by side with the same app without it, in one run (Linux):
 * time to reach {@code main}, CPU at 1 s and 100 ms beats with one subscriber, heap allocated per
 * beat by the beat thread, and resident memory. Run through {@code bench/agent-cost.sh}, which
 * builds the jar first; the figures go to {@code docs/BENCHMARKS.md}.
 *
 * <p>Options: {@code --agent JAR} (required), {@code --java PATH}, {@code --runs N} (start-up
 * runs, default 20), {@code --window SECONDS} (CPU window per interval, default 60), {@code
 * --jolokia on|idle|off} (default on: the agent's Jolokia on a free port, once the agent has it,
 * with one read served before each window; idle: on, never read),
 * {@code --agent-args K=V,...} (more agent options, e.g. {@code pauseResolution=5ms}), {@code
 * --parts startup,steady} (which measurements), {@code --warmup SECONDS} (before each CPU window,
 * default 10), {@code --jvm-args "OPTIONS"} (for both JVMs of each pair, e.g. {@code "-Xms64m
 * -Xmx64m -XX:+AlwaysPreTouch"}: a heap resident from the start, as an application that
 * allocates has it, so that RSS shows what the agent adds beyond heap pages).
 *
 * <p>With Jolokia on, one Jolokia read is served before each window, as a monitor's first poll
 * would be: what Jolokia costs once it answers is in the figures, not only what it costs idle.
 */
public final class AgentCost {
    private static final Pattern MAIN_AT = Pattern.compile("app: main at (\\d+)");

    private final Path agentJar;
    private final String java;
    private final int runs;
    private final int windowSeconds;
    private final boolean jolokia;
    /** Whether one Jolokia read is served before each CPU window. */
    private final boolean jolokiaRead;
    /** More agent options, appended to those the benchmark sets; empty for none. */
    private final String moreArgs;
    /** JVM options for both JVMs of a pair (e.g. a pre-touched heap); empty for none. */
    private final List<String> jvmArgs;

    private final int warmupSeconds;
    private final Path work;
    private final long ticksPerSecond;

    private AgentCost(
            Path agentJar,
            String java,
            int runs,
            int windowSeconds,
            int warmupSeconds,
            boolean jolokia,
            boolean jolokiaRead,
            String moreArgs,
            List<String> jvmArgs)
            throws IOException, InterruptedException {
        this.agentJar = agentJar.toAbsolutePath();
        this.java = java;
        this.runs = runs;
        this.windowSeconds = windowSeconds;
        this.warmupSeconds = warmupSeconds;
        this.jolokia = jolokia;
        this.jolokiaRead = jolokiaRead;
        this.moreArgs = moreArgs;
        this.jvmArgs = jvmArgs;
        this.work = Files.createTempDirectory("agent-cost");
        this.ticksPerSecond = Long.parseLong(run("getconf", "CLK_TCK").trim());
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        int runs = 20;
        int window = 60;
        int warmup = 10;
        boolean jolokia = true;
        boolean jolokiaRead = true;
        String moreArgs = "";
        List<String> jvmArgs = new ArrayList<>();
        String parts = "startup,steady";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agent":
                    jar = Paths.get(args[++i]);
                    break;
                case "--java":
                    java = args[++i];
                    break;
                case "--runs":
                    runs = Integer.parseInt(args[++i]);
                    break;
                case "--window":
                    window = Integer.parseInt(args[++i]);
                    break;
                case "--warmup":
                    warmup = Integer.parseInt(args[++i]);
                    break;
                case "--parts":
                    parts = args[++i];
                    break;
                case "--agent-args":
                    moreArgs = "," + args[++i];
                    break;
                case "--jvm-args":
                    jvmArgs = Arrays.asList(args[++i].trim().split("\\s+"));
                    break;
                case "--jolokia":
                    String mode = args[++i];
                    jolokia = !mode.equals("off");
                    jolokiaRead = mode.equals("on");
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (jar == null) {
            throw new IllegalArgumentException("--agent JAR is required");
        }
        new AgentCost(jar, java, runs, window, warmup, jolokia, jolokiaRead, moreArgs, jvmArgs).all(parts);
    }

    private void all(String parts) throws Exception {
        System.out.println("java: " + run(java, "-version").lines().findFirst().orElse("?"));
        System.out.println("cpus: " + Runtime.getRuntime().availableProcessors() + ", load average: "
                + Files.readString(Paths.get("/proc/loadavg")).trim());
        if (parts.contains("startup")) {
            startup();
        }
        if (parts.contains("steady")) {
            steady(1000);
            steady(100);
        }
    }

    /**
     * Time from launching {@code java} to the first line of {@code main}: without an agent, with an
     * empty agent (what {@code -javaagent} itself costs), with this agent; in turn, run after run.
     */
    private void startup() throws Exception {
        List<String> empty = new ArrayList<>(command(false, 1000, null, false));
        empty.add(1, "-javaagent:" + EmptyAgent.jar(work));
        List<Double> without = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < runs + 2; i++) {
            double a = timeToMain(command(false, 1000, null, false));
            double b = timeToMain(empty);
            double c = timeToMain(command(true, 1000, null, false));
            if (i >= 2) { // the first runs warm the page cache
                without.add(a);
                floor.add(b);
                with.add(c);
            }
        }
        double mw = median(without);
        double me = median(floor);
        double ma = median(with);
        System.out.printf(
                Locale.ROOT,
                "time to main (medians of %d): without %.1f ms, with an empty agent %.1f ms, with hb-agent %.1f ms;"
                        + " added %.1f ms, of which -javaagent itself %.1f ms and hb-agent %.1f ms (goal < 50 ms)%n",
                runs,
                mw,
                me,
                ma,
                ma - mw,
                me - mw,
                ma - me);
    }

    private double timeToMain(List<String> cmd) throws Exception {
        long startMicros = micros(Instant.now());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Matcher m = MAIN_AT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no main line from " + cmd + ": " + out);
        }
        return (Long.parseLong(m.group(1)) - startMicros) / 1000.0;
    }

    /** Two JVMs side by side over the same window: CPU, the beat thread's CPU and allocation, RSS. */
    private void steady(long intervalMs) throws Exception {
        Path portFile = work.resolve("ports-" + intervalMs + ".json");
        Process bare = new ProcessBuilder(command(false, intervalMs, null, true))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("bare.out").toFile())
                .start();
        Process agent = new ProcessBuilder(command(true, intervalMs, portFile, true))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("agent-" + intervalMs + ".out").toFile())
                .start();
        try {
            int port = awaitHeartbeatPort(portFile, agent);
            Subscriber sub = new Subscriber(port);
            String firstRead = jolokiaRead ? jolokiaRead(portFile) : ", never read";
            Thread.sleep(warmupSeconds * 1000L); // class loading, JIT, the first GC
            long bareTicks0 = ticks(bare.pid());
            long agentTicks0 = ticks(agent.pid());
            java.util.Map<String, AgentThread> agentThreads0 = agentThreads(agent.pid());
            java.util.Map<String, AgentThread> bareJit0 = compilerThreads(bare.pid());
            java.util.Map<String, AgentThread> agentJit0 = compilerThreads(agent.pid());
            long beats0 = sub.beats;
            long notUp0 = sub.notUp;
            Thread.sleep(windowSeconds * 1000L);
            long bareTicks = ticks(bare.pid()) - bareTicks0;
            long agentTicks = ticks(agent.pid()) - agentTicks0;
            java.util.Map<String, Long> agentNanos = onCpuSince(agentThreads0, agentThreads(agent.pid()));
            long bareJit = sum(onCpuSince(bareJit0, compilerThreads(bare.pid())));
            long agentJit = sum(onCpuSince(agentJit0, compilerThreads(agent.pid())));
            long beats = sub.beats - beats0;
            long notUp = sub.notUp - notUp0;
            double core = windowSeconds * (double) ticksPerSecond;
            double windowNanos = windowSeconds * 1e9;
            long beatNanos = agentNanos.getOrDefault("hbwatch-beat", 0L);
            System.out.printf(
                    Locale.ROOT,
                    "%s beats, %d s after %d s, %d beats received (%d not UP): process CPU without %.3f%%,"
                            + " with %.3f%% of a core, added %.3f%%; the beat thread alone %.3f%% (goal < %s)%n",
                    intervalMs == 1000 ? "1 s" : intervalMs + " ms",
                    windowSeconds,
                    warmupSeconds,
                    beats,
                    notUp,
                    100 * bareTicks / core,
                    100 * agentTicks / core,
                    100 * (agentTicks - bareTicks) / core,
                    100.0 * beatNanos / windowNanos,
                    intervalMs == 1000 ? "0.2%" : "1%");
            StringBuilder threads = new StringBuilder();
            long agentTotal = 0;
            for (java.util.Map.Entry<String, Long> e : agentNanos.entrySet()) {
                long ns = e.getValue();
                agentTotal += ns;
                threads.append(String.format(Locale.ROOT, ", %s %.4f%%", e.getKey(), 100.0 * ns / windowNanos));
            }
            System.out.printf(
                    Locale.ROOT,
                    "  agent threads on CPU (schedstat, ns): %.4f%% of a core in all%s; hbwatch-beat %.1f us per beat%n",
                    100.0 * agentTotal / windowNanos,
                    threads,
                    beats == 0 ? Double.NaN : beatNanos / 1000.0 / beats);
            System.out.printf(
                    Locale.ROOT,
                    "  the JIT's compiler threads: without %.4f%%, with %.4f%% of a core (the agent's code still"
                            + " reaching its compile thresholds)%n",
                    100.0 * bareJit / windowNanos,
                    100.0 * agentJit / windowNanos);
            long[] bareMem = rssKiB(bare.pid());
            long[] agentMem = rssKiB(agent.pid());
            System.out.printf(
                    Locale.ROOT,
                    "  RSS without %.1f MiB, with %.1f MiB, added %.1f MiB (peak: %.1f vs %.1f MiB); Jolokia %s%s%n",
                    bareMem[0] / 1024.0,
                    agentMem[0] / 1024.0,
                    (agentMem[0] - bareMem[0]) / 1024.0,
                    bareMem[1] / 1024.0,
                    agentMem[1] / 1024.0,
                    jolokiaState(portFile),
                    firstRead);
            if (intervalMs == 100) {
                allocation(agent.pid(), sub);
            }
            sub.close();
        } finally {
            bare.destroyForcibly();
            agent.destroyForcibly();
            bare.waitFor(10, TimeUnit.SECONDS);
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Heap the beat thread allocates per beat, read as JConsole would: through the attach API and
     * the JVM's local JMX connector. Measured after the CPU window, because starting that
     * connector adds threads and memory to the app.
     */
    private void allocation(long pid, Subscriber sub) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            com.sun.management.ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(
                    mbeans, ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);
            long tid = -1;
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t != null && t.getThreadName().equals("hbwatch-beat")) {
                    tid = t.getThreadId();
                }
            }
            if (tid < 0) {
                throw new IllegalStateException("no hbwatch-beat thread in " + pid);
            }
            ObjectName heartbeat = new ObjectName("hbwatch:type=Heartbeat");
            Thread.sleep(5_000); // let the JMX connection's own start-up settle
            long bytes0 = threads.getThreadAllocatedBytes(tid);
            long seq0 = (Long) mbeans.getAttribute(heartbeat, "Sequence");
            long notUp0 = sub.notUp;
            Thread.sleep(20_000);
            long bytes = threads.getThreadAllocatedBytes(tid) - bytes0;
            long beats = (Long) mbeans.getAttribute(heartbeat, "Sequence") - seq0;
            System.out.printf(
                    Locale.ROOT,
                    "  heap allocated by hbwatch-beat: %d bytes over %d beats (%d not UP) = %.1f bytes per beat"
                            + " (goal 0)%n",
                    bytes,
                    beats,
                    sub.notUp - notUp0,
                    beats == 0 ? Double.NaN : bytes / (double) beats);
        } finally {
            vm.detach();
        }
    }

    private List<String> command(boolean agent, long intervalMs, Path portFile, boolean stay) {
        List<String> cmd = new ArrayList<>(Arrays.asList(java, "-Xshare:auto"));
        cmd.addAll(jvmArgs);
        if (agent) {
            String args =
                    "port=0,interval=" + intervalMs + "ms,jolokia=" + (jolokia ? "127.0.0.1:0" : "off") + moreArgs;
            if (portFile != null) {
                args += ",portFile=" + portFile;
            }
            cmd.add("-javaagent:" + agentJar + "=" + args);
        }
        cmd.addAll(Arrays.asList("-cp", testClasses(), TimedApp.class.getName()));
        if (stay) {
            cmd.add("stay");
        }
        return cmd;
    }

    private static String testClasses() {
        try {
            return Paths.get(TimedApp.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (up to 30 s) for the agent's port file; returns its heartbeat port. */
    static int awaitHeartbeatPort(Path portFile, Process p) throws Exception {
        for (int i = 0; i < 3000; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the app with the agent exited");
            }
            if (Files.exists(portFile) && Files.size(portFile) > 0) {
                Matcher m = Pattern.compile("\"heartbeat\":(\\d+)").matcher(Files.readString(portFile));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no port file " + portFile);
    }

    /** One read of the Heartbeat MBean over the agent's Jolokia, if it has one: what a monitor's poll does. */
    private static String jolokiaRead(Path portFile) throws IOException {
        Matcher m = Pattern.compile("\"jolokia\":(\\d+)").matcher(Files.readString(portFile));
        if (!m.find()) {
            return "";
        }
        java.net.HttpURLConnection c = (java.net.HttpURLConnection)
                new java.net.URL("http://127.0.0.1:" + m.group(1) + "/jolokia/read/hbwatch:type=Heartbeat/Sequence")
                        .openConnection();
        try {
            c.getInputStream().readAllBytes();
            return ", one read served (HTTP " + c.getResponseCode() + ")";
        } finally {
            c.disconnect();
        }
    }

    private static String jolokiaState(Path portFile) throws IOException {
        Matcher m = Pattern.compile("\"jolokia\":(\\d+)").matcher(Files.readString(portFile));
        return m.find() ? "on (port " + m.group(1) + ")" : "off (not in this agent, or jolokia=off)";
    }

    /** utime + stime of the whole process, in clock ticks. */
    private static long ticks(long pid) throws IOException {
        return statTicks(Paths.get("/proc", Long.toString(pid), "stat"));
    }

    /** One of the agent's threads at one moment: its kernel name and its time on CPU. */
    private static final class AgentThread {
        final String name;
        final long nanos;

        AgentThread(String name, long nanos) {
            this.name = name;
            this.nanos = nanos;
        }
    }

    /**
     * The agent's threads by thread id, with their time on CPU from {@code
     * /proc/PID/task/TID/schedstat}: the {@code hbwatch-*} ones. Keyed by id, not name: a kernel
     * name can change between two readings.
     */
    private static java.util.Map<String, AgentThread> agentThreads(long pid) throws IOException {
        return threads(pid, "hbwatch-");
    }

    /** The JIT's compiler threads ({@code C1 CompilerThre...}, {@code C2 ...}), read the same way. */
    private static java.util.Map<String, AgentThread> compilerThreads(long pid) throws IOException {
        return threads(pid, "C");
    }

    private static java.util.Map<String, AgentThread> threads(long pid, String prefix) throws IOException {
        java.util.Map<String, AgentThread> threads = new java.util.HashMap<>();
        try (var tasks = Files.list(Paths.get("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name = Files.readString(task.resolve("comm")).trim();
                if (name.startsWith(prefix) && (!prefix.equals("C") || name.contains("CompilerThre"))) {
                    long ns = Long.parseLong(
                            Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    threads.put(task.getFileName().toString(), new AgentThread(name, ns));
                }
            }
        }
        return threads;
    }

    private static long sum(java.util.Map<String, Long> nanos) {
        long total = 0;
        for (long n : nanos.values()) {
            total += n;
        }
        return total;
    }

    /** Time on CPU between two readings, in nanoseconds, summed by each thread's latest name. */
    private static java.util.Map<String, Long> onCpuSince(
            java.util.Map<String, AgentThread> before, java.util.Map<String, AgentThread> after) {
        java.util.Map<String, Long> nanos = new java.util.TreeMap<>();
        for (java.util.Map.Entry<String, AgentThread> e : after.entrySet()) {
            AgentThread then = before.get(e.getKey());
            nanos.merge(e.getValue().name, e.getValue().nanos - (then == null ? 0 : then.nanos), Long::sum);
        }
        return nanos;
    }

    private static long statTicks(Path stat) throws IOException {
        String s = Files.readString(stat);
        // Fields after the command name, which is in parentheses and may hold spaces.
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
    }

    /** VmRSS and VmHWM (peak), in KiB. */
    private static long[] rssKiB(long pid) throws IOException {
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new long[] {rss, hwm};
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** One real subscriber of the VM subject, counting beats on its own thread. */
    private static final class Subscriber implements AutoCloseable {
        private final Socket socket = new Socket();
        volatile long beats;
        /** Beats whose status was not UP: a degraded beat may allocate (its finding's text). */
        volatile long notUp;

        Subscriber(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write("{}\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Thread t = new Thread(
                    () -> {
                        try {
                            for (String line; (line = in.readLine()) != null; ) {
                                if (!line.contains("\"status\":\"UP\"")) {
                                    notUp++;
                                }
                                beats++;
                            }
                        } catch (IOException e) {
                            // closed
                        }
                    },
                    "bench-subscriber");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
