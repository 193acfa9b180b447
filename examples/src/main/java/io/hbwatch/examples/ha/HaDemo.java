package io.hbwatch.examples.ha;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code examples/ha/run.sh}: hbwatch past one machine, all on loopback with real binaries. Two
 * order services run under the agent; two {@code monitor-cli} watch both; two Prometheus servers
 * scrape both monitors and evaluate {@code examples/ha/rules.yml}; both send to an Alertmanager
 * cluster of two, which notifies a webhook receiver run here. Then:
 *
 * <ol>
 *   <li>{@code kill -9} of the first service: exactly one notification;
 *   <li>one monitor and one Prometheus stopped, then {@code kill -9} of the second service:
 *       exactly one notification again.
 * </ol>
 *
 * "Exactly one" is read after a window of three times the cluster's peer timeout past the first
 * notification: the time a second Alertmanager would take to send its copy had the cluster not
 * told it the first one went out. Prints what it does and the count per kill; exits 0 when both
 * counts are one, 1 when not.
 */
public final class HaDemo {
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration WINDOW = PEER_TIMEOUT.multipliedBy(3);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Path repo;
    private final Path tmp;
    private final PrintStream out;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();
    private final Webhook webhook;

    HaDemo(Path repo, Path tmp, PrintStream out) throws IOException {
        this.repo = repo;
        this.tmp = tmp;
        this.out = out;
        this.webhook = Webhook.start();
    }

    public static void main(String[] args) throws Exception {
        Path repo = Paths.get(args.length > 0 ? args[0] : ".").toAbsolutePath();
        Path tmp = Files.createTempDirectory("hbwatch-ha");
        HaDemo demo = new HaDemo(repo, tmp, System.out);
        int code;
        try {
            code = demo.run();
        } catch (IllegalStateException e) {
            System.out.println("examples/ha: " + e.getMessage() + " (logs in " + tmp + ")");
            code = 1;
        } finally {
            demo.close();
        }
        if (code == 0) {
            deleteTree(tmp); // kept after a failure: its logs say why
        }
        System.exit(code);
    }

    /** Runs the scenario; 0 when every kill gave exactly one notification. */
    int run() throws Exception {
        int[] am = {freePort(), freePort()};
        int[] gossip = {freePort(), freePort()};
        int[] mon = {freePort(), freePort()};
        int[] prom = {freePort(), freePort()};

        Process orders1 = service("orders-1");
        Process orders2 = service("orders-2");
        String target1 = "127.0.0.1:" + heartbeatPort("orders-1");
        String target2 = "127.0.0.1:" + heartbeatPort("orders-2");
        Path targets = tmp.resolve("targets.txt");
        Files.writeString(targets, target1 + "\n" + target2 + "\n");
        out.println("two order services under the agent: " + target1 + " and " + target2);

        String amConfig = Files.readString(repo.resolve("examples/ha/alertmanager.yml"))
                .replace("WEBHOOK_URL", "http://127.0.0.1:" + webhook.port() + "/");
        Files.writeString(tmp.resolve("alertmanager.yml"), amConfig);
        for (int i = 0; i < 2; i++) {
            start(
                    "am" + (i + 1),
                    "prometheus-alertmanager",
                    "--config.file=" + tmp.resolve("alertmanager.yml"),
                    "--storage.path=" + tmp.resolve("am" + (i + 1)),
                    "--web.listen-address=127.0.0.1:" + am[i],
                    "--cluster.listen-address=127.0.0.1:" + gossip[i],
                    "--cluster.advertise-address=127.0.0.1:" + gossip[i],
                    "--cluster.peer=127.0.0.1:" + gossip[1 - i],
                    "--cluster.peer-timeout=" + PEER_TIMEOUT.toSeconds() + "s",
                    "--cluster.pushpull-interval=2s",
                    "--cluster.settle-timeout=10s");
        }
        Process[] monitors = new Process[2];
        for (int i = 0; i < 2; i++) {
            monitors[i] = start(
                    "monitor" + (i + 1),
                    repo.resolve("monitor-cli/target/monitor-cli").toString(),
                    "--targets",
                    targets.toString(),
                    "--metrics",
                    "127.0.0.1:" + mon[i],
                    "--format",
                    "json");
        }
        Files.copy(repo.resolve("examples/ha/rules.yml"), tmp.resolve("rules.yml"));
        Process[] prometheus = new Process[2];
        for (int i = 0; i < 2; i++) {
            Path config = tmp.resolve("prometheus" + (i + 1) + ".yml");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "global: {scrape_interval: 1s, evaluation_interval: 1s}",
                            "rule_files: [rules.yml]",
                            "alerting:",
                            "  alertmanagers:",
                            "    - static_configs: [{targets: ['127.0.0.1:" + am[0] + "', '127.0.0.1:" + am[1] + "']}]",
                            "scrape_configs:",
                            "  - job_name: hbwatch",
                            "    honor_labels: true",
                            "    static_configs: [{targets: ['127.0.0.1:" + mon[0] + "', '127.0.0.1:" + mon[1] + "']}]",
                            ""));
            prometheus[i] = start(
                    "prometheus" + (i + 1),
                    "prometheus",
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + tmp.resolve("data" + (i + 1)),
                    "--web.listen-address=127.0.0.1:" + prom[i]);
        }
        out.println("two monitors (metrics on :" + mon[0] + ", :" + mon[1] + "), two Prometheus servers (:" + prom[0]
                + ", :" + prom[1] + "), an Alertmanager cluster (:" + am[0] + ", :" + am[1]
                + "), a webhook receiver (:" + webhook.port() + ")");

        for (int i = 0; i < 2; i++) {
            int p = prom[i];
            await("Prometheus :" + p + " to see both services UP through both monitors", () -> "4"
                    .equals(query(p, "count(hbwatch_up{job=\"hb\"} == 1)")));
        }
        for (int i = 0; i < 2; i++) {
            int a = am[i];
            await("Alertmanager :" + a + " to join its cluster", () -> clusterReady(a));
        }
        out.println("all UP; the Alertmanager cluster is ready");

        orders1.destroyForcibly();
        out.println("kill -9 orders-1 (" + target1 + ")");
        int first = notifications(target1);

        monitors[0].destroy();
        prometheus[0].destroy();
        monitors[0].waitFor();
        prometheus[0].waitFor();
        out.println("stopped monitor1 and prometheus1");
        orders2.destroyForcibly();
        out.println("kill -9 orders-2 (" + target2 + ")");
        int second = notifications(target2);
        int firstAgain = webhook.firing(target1);

        out.println("notifications: " + target1 + " " + firstAgain + ", " + target2 + " " + second);
        boolean ok = first == 1 && firstAgain == 1 && second == 1;
        out.println(ok ? "OK: one notification per JVM killed" : "FAILED: expected one notification per JVM killed");
        return ok ? 0 : 1;
    }

    /** Waits for the first notification about {@code target}, then the window; the count at its end. */
    private int notifications(String target) throws InterruptedException {
        long t0 = System.nanoTime();
        await("a notification about " + target, () -> webhook.firing(target) > 0);
        out.printf(
                "  notified after %.1f s by the webhook receiver; watching %d s for a duplicate%n",
                (System.nanoTime() - t0) / 1e9, WINDOW.toSeconds());
        Thread.sleep(WINDOW.toMillis()); // the window in which a second Alertmanager's copy would come
        int n = webhook.firing(target);
        out.println("  " + n + " notification" + (n == 1 ? "" : "s") + " about " + target);
        return n;
    }

    private Process service(String name) throws IOException {
        return start(
                name,
                "java",
                "-javaagent:" + repo.resolve("agent/target/hb-agent.jar") + "=port=0,jolokia=off,interval=200ms,"
                        + "registry=off,portFile=" + tmp.resolve(name + ".ports"),
                "-jar",
                repo.resolve("examples/target/hbwatch-examples.jar").toString(),
                "--port",
                "0");
    }

    private int heartbeatPort(String name) throws InterruptedException {
        Path file = tmp.resolve(name + ".ports");
        await(name + " to listen", () -> Files.exists(file));
        try {
            Matcher m = Pattern.compile("\"heartbeat\":(\\d+)").matcher(Files.readString(file));
            if (!m.find()) {
                throw new IllegalStateException(name + ": no heartbeat port in " + file);
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(name + ": " + e.getMessage());
        }
    }

    private Process start(String name, String... cmd) throws IOException {
        Path log = tmp.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(p);
        return p;
    }

    /** The value of a PromQL query that yields one sample; null when it yields none or fails. */
    private String query(int port, String promql) {
        String body = get("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (body == null) {
            return null;
        }
        Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]*)\"\\]").matcher(body);
        return m.find() ? m.group(1) : null;
    }

    private boolean clusterReady(int port) {
        String body = get("http://127.0.0.1:" + port + "/api/v2/status");
        if (body == null || !body.contains("\"status\":\"ready\"")) {
            return false;
        }
        Matcher peers = Pattern.compile("\"peers\":\\[(.*?)\\]").matcher(body);
        return peers.find() && peers.group(1).split("\"address\"").length - 1 == 2;
    }

    private String get(String url) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException("no " + what + " within " + WAIT.toSeconds() + " s");
            }
            for (Process p : processes) {
                if (!p.isAlive() && p.exitValue() != 0 && p.exitValue() != 137 && p.exitValue() != 143) {
                    throw new IllegalStateException("a process of the example ended with " + p.exitValue() + ": "
                            + p.info().commandLine().orElse(""));
                }
            }
            Thread.sleep(200);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops everything it started; the webhook receiver last. */
    void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        webhook.close();
    }
}
