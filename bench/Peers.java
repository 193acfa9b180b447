import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * hb-agent beside the agents a user would pick instead, on the same app, at the same time: stock
 * Jolokia's JVM agent, jmx_exporter's agent and the OpenTelemetry agent, on a trivial app and on an
 * embedded Tomcat. Every variant of a round runs at once (COPIES JVMs each, the app without any
 * agent among them), so the machine's load weighs on all alike; rounds repeat that and give the
 * spread. For each variant, as added to the same app without an agent:
 *
 * <ul>
 *   <li>start-up: exec to the app's first line ({@code main} reached; for Tomcat, started), median
 *       of STARTS sequential starts, the variants taking turns;
 *   <li>CPU over a window after a warm-up, once each agent has answered one read (hb-agent: one
 *       Jolokia read, and a subscriber reading its 1 s beats all along, as a monitor would), from
 *       the schedstat of every task of the process;
 *   <li>resident memory (VmRSS) and threads after that window;
 *   <li>the round trip of READS reads over one keep-alive connection with the JDK's HTTP client,
 *       after the window: a Jolokia read (hb-agent, stock Jolokia) or a scrape (jmx_exporter, the
 *       OpenTelemetry agent's Prometheus endpoint).
 * </ul>
 *
 * <p>Usage (bench/peers.sh fetches the peers): java bench/Peers.java PEERS_DIR [--rounds N]
 * [--copies K] [--warmup S] [--window S] [--starts N] [--reads N] [--apps trivial,tomcat]
 * [--parts startup,steady]
 */
public final class Peers {
    static final Path ROOT = Path.of(System.getProperty("hbwatch.root", "."));
    static final Path AGENT = ROOT.resolve("agent/target/hb-agent.jar").toAbsolutePath();
    static final Path APPS = ROOT.resolve("agent/target/test-classes").toAbsolutePath();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final Pattern JOLOKIA_URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/jolokia/)");

    static Path peers;
    static Path tmp;
    static String tomcatClasspath;

    /** One way to run the app: which agent, and how to read it. */
    record Variant(String name, String kind) {}

    static final List<Variant> VARIANTS = List.of(
            new Variant("none", "none"),
            new Variant("hb-agent", "hb"),
            new Variant("hb-agent jolokia=off", "hb-off"),
            new Variant("stock Jolokia 2.3.0", "jolokia"),
            new Variant("jmx_exporter 1.0.1", "jmx_exporter"),
            new Variant("OpenTelemetry 2.22.0", "otel"));

    /** A running JVM of one variant. */
    static final class Run {
        final Variant variant;
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuilder all = new StringBuilder();
        final int httpPort;
        final Path portFile;
        volatile String readUrl;
        volatile long beats;
        Socket subscriber;

        Run(Variant variant, Process process, int httpPort, Path portFile) {
            this.variant = variant;
            this.process = process;
            this.httpPort = httpPort;
            this.portFile = portFile;
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                        synchronized (all) {
                            if (all.length() < 200_000) {
                                all.append(l).append('\n');
                            }
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            pump.setDaemon(true);
            pump.start();
        }

        String output() {
            synchronized (all) {
                return all.toString();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        peers = Path.of(args[0]).toAbsolutePath();
        int rounds = 3, copies = 2, warmup = 60, window = 60, starts = 5, reads = 200;
        List<String> apps = List.of("trivial", "tomcat");
        String parts = "startup,steady";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--copies" -> copies = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--starts" -> starts = Integer.parseInt(args[++i]);
                case "--reads" -> reads = Integer.parseInt(args[++i]);
                case "--apps" -> apps = List.of(args[++i].split(","));
                case "--parts" -> parts = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        tmp = Files.createTempDirectory("hbw-peers");
        Files.writeString(tmp.resolve("jmx_exporter.yaml"), "rules:\n  - pattern: \".*\"\n");
        if (apps.contains("tomcat")) {
            compileTomcatApp();
        }
        System.out.printf(
                Locale.ROOT,
                "java %s, %d cores, load %s; %d rounds of %d JVMs per variant at once, %d s warm-up, %d s window%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim(),
                rounds,
                copies,
                warmup,
                window);
        for (String app : apps) {
            Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
            if (parts.contains("startup")) {
                startUps(app, starts, figures);
            }
            for (int r = 0; parts.contains("steady") && r < rounds; r++) {
                round(app, copies, warmup, window, reads, figures);
            }
            table(app, figures);
        }
    }

    /** The app's first line, timed from exec, for every variant in turn. */
    static void startUps(String app, int starts, Map<String, Map<String, List<Double>>> figures) throws Exception {
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        for (int s = 0; s < starts; s++) {
            for (int k = 0; k < VARIANTS.size(); k++) {
                Variant v = VARIANTS.get((k + s) % VARIANTS.size());
                long t0 = System.nanoTime();
                Run run = start(app, v);
                String first = appLine(run);
                long t1 = System.nanoTime();
                stop(run);
                if (first == null) {
                    throw new IllegalStateException(v.name() + " printed nothing: " + run.output());
                }
                ms.computeIfAbsent(v.name(), x -> new ArrayList<>()).add((t1 - t0) / 1e6);
            }
        }
        double base = median(ms.get("none"));
        for (Variant v : VARIANTS) {
            figure(figures, v.name(), "start-up added, ms", median(ms.get(v.name())) - base);
        }
    }

    /** Every variant COPIES times at once: one read, a warm-up, the CPU window, memory, threads, round trips. */
    static void round(String app, int copies, int warmup, int window, int reads, Map<String, Map<String, List<Double>>> figures)
            throws Exception {
        List<Run> runs = new ArrayList<>();
        try {
            for (int c = 0; c < copies; c++) {
                for (Variant v : VARIANTS) {
                    runs.add(start(app, v));
                }
            }
            for (Run run : runs) {
                ready(run);
            }
            for (Run run : runs) {
                if (run.readUrl != null) {
                    get(HttpClient.newHttpClient(), run.readUrl);
                }
                if (run.variant.kind().startsWith("hb")) {
                    subscribe(run);
                }
            }
            Thread.sleep(warmup * 1000L);
            long[] before = new long[runs.size()];
            for (int i = 0; i < runs.size(); i++) {
                before[i] = cpuNanos(runs.get(i).process.pid());
            }
            long t0 = System.nanoTime();
            Thread.sleep(window * 1000L);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            Map<String, List<Double>> rss = new LinkedHashMap<>();
            Map<String, List<Double>> threads = new LinkedHashMap<>();
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                long pid = run.process.pid();
                String v = run.variant.name();
                cpu.computeIfAbsent(v, x -> new ArrayList<>())
                        .add(100.0 * (cpuNanos(pid) - before[i]) / (seconds * 1e9));
                rss.computeIfAbsent(v, x -> new ArrayList<>()).add(status(pid, "VmRSS") / 1024.0);
                threads.computeIfAbsent(v, x -> new ArrayList<>()).add((double) status(pid, "Threads"));
            }
            double cpuBase = median(cpu.get("none"));
            double rssBase = median(rss.get("none"));
            double threadBase = median(threads.get("none"));
            for (Variant v : VARIANTS) {
                figure(figures, v.name(), "CPU added, % of a core", median(cpu.get(v.name())) - cpuBase);
                figure(figures, v.name(), "RSS added, MiB", median(rss.get(v.name())) - rssBase);
                figure(figures, v.name(), "threads added", median(threads.get(v.name())) - threadBase);
            }
            for (Variant v : VARIANTS) {
                Run run = runs.stream().filter(r -> r.variant == v).findFirst().orElseThrow();
                if (run.readUrl == null) {
                    continue;
                }
                double[] rtt = roundTrips(run.readUrl, reads);
                figure(figures, v.name(), "keep-alive read p50, ms", rtt[0]);
                figure(figures, v.name(), "keep-alive read p99, ms", rtt[1]);
            }
            for (Run run : runs) {
                if (run.variant.kind().startsWith("hb") && run.beats < window) {
                    System.out.printf("  note: %s received %d beats in the round%n", run.variant.name(), run.beats);
                }
            }
        } finally {
            for (Run run : runs) {
                stop(run);
            }
        }
    }

    static Run start(String app, Variant v) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        int port = 0;
        Path portFile = null;
        switch (v.kind()) {
            case "hb", "hb-off" -> {
                portFile = Files.createTempFile(tmp, "ports", ".json");
                Files.delete(portFile);
                cmd.add("-javaagent:" + AGENT + "=port=0,registry=off,portFile=" + portFile
                        + (v.kind().equals("hb") ? ",jolokia=127.0.0.1:0" : ",jolokia=off"));
            }
            case "jolokia" -> {
                port = freePort();
                cmd.add("-javaagent:" + peers.resolve("jolokia-agent-jvm-2.3.0-javaagent.jar") + "=host=127.0.0.1,port="
                        + port);
            }
            case "jmx_exporter" -> {
                port = freePort();
                cmd.add("-javaagent:" + peers.resolve("jmx_prometheus_javaagent-1.0.1.jar") + "=127.0.0.1:" + port + ":"
                        + tmp.resolve("jmx_exporter.yaml"));
            }
            case "otel" -> {
                port = freePort();
                cmd.addAll(List.of(
                        "-javaagent:" + peers.resolve("opentelemetry-javaagent-2.22.0.jar"),
                        "-Dotel.service.name=peers",
                        "-Dotel.traces.exporter=none",
                        "-Dotel.logs.exporter=none",
                        "-Dotel.metrics.exporter=prometheus",
                        "-Dotel.exporter.prometheus.host=127.0.0.1",
                        "-Dotel.exporter.prometheus.port=" + port));
            }
            default -> {}
        }
        if (app.equals("tomcat")) {
            int http = freePort();
            cmd.addAll(List.of(
                    "-cp", tmp.resolve("tomcat-app") + ":" + tomcatClasspath, "TomcatApp", Integer.toString(http),
                    Files.createTempDirectory(tmp, "tomcat").toString()));
        } else {
            cmd.addAll(List.of("-cp", APPS.toString(), "io.hbwatch.testing.apps.TimedApp", "stay"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        return new Run(v, pb.start(), port, portFile);
    }

    /** Waits until the app has printed and its agent answers; sets what a read asks. */
    static void ready(Run run) throws Exception {
        if (appLine(run) == null) {
            throw new IllegalStateException(run.variant.name() + " printed nothing: " + run.output());
        }
        String url = switch (run.variant.kind()) {
            case "jolokia" -> "http://127.0.0.1:" + run.httpPort + "/jolokia/read/java.lang:type=Runtime/Uptime";
            case "jmx_exporter", "otel" -> "http://127.0.0.1:" + run.httpPort + "/metrics";
            default -> null;
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        if (run.variant.kind().startsWith("hb")) {
            while (!Files.exists(run.portFile) || Files.size(run.portFile) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no port file: " + run.output());
                }
                Thread.sleep(20);
            }
            String json = Files.readString(run.portFile);
            if (run.variant.kind().equals("hb")) {
                url = "http://127.0.0.1:" + number(json, "jolokia") + "/jolokia/read/hbwatch:type=Heartbeat/Status";
            }
        }
        if (url != null) {
            HttpClient client = HttpClient.newHttpClient();
            while (true) {
                try {
                    if (get(client, url) == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(run.variant.name() + " never answered " + url + ": " + run.output());
                }
                Thread.sleep(50);
            }
        }
        run.readUrl = url;
    }

    /**
     * The app's own first line ({@code app: ...}), or null after two minutes: agents print lines of
     * their own, some before {@code main} (the OpenTelemetry agent's version, stock Jolokia's
     * policy warning), which must not count as the app's start.
     */
    static String appLine(Run run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = run.lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null || line.startsWith("app: ")) {
                return line;
            }
        }
        return null;
    }

    /** A heartbeat subscriber reading every beat, as a monitor would. */
    static void subscribe(Run run) throws IOException {
        int port = number(Files.readString(run.portFile), "heartbeat");
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream out = s.getOutputStream();
        out.write("{}\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        run.subscriber = s;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                while (r.readLine() != null) {
                    run.beats++;
                }
            } catch (IOException e) {
                // closed at the end of the round
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    static int get(HttpClient client, String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode();
    }

    /** p50 and p99 of {@code n} reads over one keep-alive connection, 10 ms apart, in ms. */
    static double[] roundTrips(String url, int n) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 20; i++) {
            client.send(req, HttpResponse.BodyHandlers.ofByteArray()); // the connection, and the JIT of both sides
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + ": HTTP " + r.statusCode());
            }
            Thread.sleep(10);
        }
        Arrays.sort(ms);
        return new double[] {ms[n / 2], ms[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)]};
    }

    static void stop(Run run) {
        try {
            if (run.subscriber != null) {
                run.subscriber.close();
            }
        } catch (IOException e) {
            // going anyway
        }
        run.process.destroyForcibly();
        try {
            run.process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU of every task of the process so far, in nanoseconds. */
    static long cpuNanos(long pid) throws IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.collect(Collectors.toList())) {
                try {
                    sum += Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
                } catch (IOException e) {
                    // the task ended
                }
            }
        }
        return sum;
    }

    static long status(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(key + " not in /proc/" + pid + "/status");
    }

    static int number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException(key + " not in " + json);
        }
        return Integer.parseInt(m.group(1));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The embedded Tomcat app, compiled once against the jars peers.sh fetched. */
    static void compileTomcatApp() throws IOException {
        try (var jars = Files.list(peers)) {
            tomcatClasspath = jars.map(Path::toString)
                    .filter(p -> p.contains("tomcat-"))
                    .collect(Collectors.joining(":"));
        }
        Path src = tmp.resolve("TomcatApp.java");
        Files.writeString(
                src,
                """
                import jakarta.servlet.http.HttpServlet;
                import jakarta.servlet.http.HttpServletRequest;
                import jakarta.servlet.http.HttpServletResponse;
                import org.apache.catalina.Context;
                import org.apache.catalina.startup.Tomcat;

                public class TomcatApp {
                    public static void main(String[] args) throws Exception {
                        Tomcat tomcat = new Tomcat();
                        tomcat.setBaseDir(args[1]);
                        tomcat.setPort(Integer.parseInt(args[0]));
                        tomcat.getConnector();
                        Context ctx = tomcat.addContext("", null);
                        Tomcat.addServlet(ctx, "hello", new HttpServlet() {
                            @Override
                            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
                                resp.getWriter().write("hello");
                            }
                        });
                        ctx.addServletMappingDecoded("/", "hello");
                        tomcat.start();
                        System.out.println("app: tomcat ready");
                        System.out.flush();
                        tomcat.getServer().await();
                    }
                }
                """);
        Path out = Files.createDirectories(tmp.resolve("tomcat-app"));
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "-cp", tomcatClasspath, "-d", out.toString(), src.toString());
        if (rc != 0) {
            throw new IllegalStateException("TomcatApp does not compile against " + tomcatClasspath);
        }
    }

    static void figure(Map<String, Map<String, List<Double>>> figures, String variant, String what, double value) {
        figures.computeIfAbsent(what, x -> new LinkedHashMap<>())
                .computeIfAbsent(variant, x -> new ArrayList<>())
                .add(value);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A Markdown table: each cell the median over rounds, and the rounds' range when there are several. */
    static void table(String app, Map<String, Map<String, List<Double>>> figures) {
        System.out.println();
        System.out.println("### " + app + " app");
        System.out.println();
        List<Variant> shown = VARIANTS.subList(1, VARIANTS.size());
        System.out.println("| added to the same app without an agent | "
                + shown.stream().map(Variant::name).collect(Collectors.joining(" | ")) + " |");
        System.out.println("|---" + "|---".repeat(shown.size()) + "|");
        figures.forEach((what, byVariant) -> {
            StringBuilder row = new StringBuilder("| " + what + " |");
            for (Variant v : shown) {
                List<Double> values = byVariant.get(v.name());
                row.append(' ').append(values == null ? "n/a" : cell(what, values)).append(" |");
            }
            System.out.println(row);
        });
        System.out.flush();
    }

    static String cell(String what, List<Double> values) {
        String f = what.startsWith("CPU") ? "%.3f" : what.contains("ms") ? "%.2f" : "%.1f";
        String m = String.format(Locale.ROOT, f, median(values));
        if (values.size() < 2) {
            return m;
        }
        double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return m + " (" + String.format(Locale.ROOT, f, lo) + " to " + String.format(Locale.ROOT, f, hi) + ")";
    }
}
