package io.hbwatch.agent.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.protocol.JsonParser;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Http;
import io.hbwatch.testing.Jdks;
import io.hbwatch.testing.StockJolokia;
import io.hbwatch.testing.apps.SleepApp;
import io.hbwatch.testing.apps.ThreadsApp;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent's Jolokia in real JVMs, over real HTTP: what a monitor may do, and nothing more. */
class JolokiaIT {
    @TempDir
    Path tmp;

    private static Map<String, Object> get(String url) throws Exception {
        HttpResponse<String> r = Http.get(url);
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseObject(r.body());
    }

    private static long status(Map<String, Object> answer) {
        return ((Number) answer.get("status")).longValue();
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("io.hbwatch.testing.Jdks#tested")
    void aMonitorReadsTheHeartbeatAndPingsIt(int feature) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .java(Jdks.require(feature))
                .agentArgs("interval=100ms,jolokia=127.0.0.1:0")
                .main(SleepApp.class)
                .start()) {
            AgentJvm.Ports ports = app.awaitPorts();
            assertTrue(ports.jolokia() > 0, "no jolokia port in the port file");
            String base = "http://127.0.0.1:" + ports.jolokia() + "/jolokia/";

            long first =
                    ((Number) get(base + "read/hbwatch:type=Heartbeat/Sequence").get("value")).longValue();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ((Number) get(base + "read/hbwatch:type=Heartbeat/Sequence")
                                            .get("value"))
                                    .longValue()
                            > first);
            assertEquals("UP", get(base + "read/hbwatch:type=Heartbeat/Status").get("value"));
            assertEquals(
                    "n0nce",
                    get(base + "exec/hbwatch:type=Heartbeat/ping/n0nce").get("value"));
            assertEquals(200L, status(get(base + "read/java.lang:type=Runtime/Uptime")));

            for (String denied : List.of(
                    "write/java.lang:type=Memory/Verbose/true",
                    "exec/java.lang:type=Memory/gc",
                    "exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties",
                    "exec/jdk.management.jfr:type=FlightRecorder/newRecording",
                    "read/com.sun.management:type=HotSpotDiagnostic/DiagnosticOptions",
                    "list",
                    "search/*:*")) {
                assertEquals(403L, status(get(base + denied)), denied);
            }
            Map<String, Object> proxy = JsonParser.parseObject(Http.post(
                            base,
                            "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\","
                                    + "\"target\":{\"url\":\"service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi\"}}")
                    .body());
            assertEquals(403L, status(proxy));

            assertEquals(405, Http.head(base + "version").statusCode());
            assertEquals(200L, status(get(base + "version"))); // the connection after HEAD still serves

            app.awaitOutput(", Jolokia on port " + ports.jolokia());
            String err = app.stderr();
            assertFalse(err.contains("WARNING"), "a log line reached the host's stderr: " + err);
            assertFalse(err.contains("Jolokia:") || err.contains("I> "), "Jolokia's own chatter: " + err);
            assertFalse(app.stdout().contains("Jolokia"), app.stdout());
        }
    }

    /**
     * Twenty reads on one kept connection. Were an answer split over two TCP writes with Nagle's
     * algorithm on, each would wait for the client's delayed ACK, about 40 ms. The median is
     * bounded generously (20 ms); the real figures come from bench/jolokia-rtt.sh.
     */
    @ParameterizedTest(name = "Java {0}")
    @MethodSource("io.hbwatch.testing.Jdks#tested")
    void keptConnectionsGetTheirAnswersWithoutTheNagleStall(int feature) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                        .java(Jdks.require(feature))
                        .agentArgs("jolokia=127.0.0.1:0")
                        .main(SleepApp.class)
                        .start();
                Socket s = new Socket(
                        InetAddress.getLoopbackAddress(), app.awaitPorts().jolokia())) {
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] request = ("GET /jolokia/read/java.lang:type=Runtime/Uptime HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            long[] nanos = new long[20];
            for (int i = -5; i < nanos.length; i++) { // five to warm up
                long t0 = System.nanoTime();
                out.write(request);
                String answer = readAnswer(in);
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t0;
                }
                assertTrue(answer.contains("\"status\":200"), answer);
            }
            Arrays.sort(nanos);
            assertTrue(nanos[nanos.length / 2] < 20_000_000L, "median " + nanos[nanos.length / 2] / 1e6 + " ms");
            // The system properties, where -D secrets live, are never served.
            Map<String, Object> prop =
                    get("http://127.0.0.1:" + s.getPort() + "/jolokia/read/java.lang:type=Runtime/SystemProperties");
            assertEquals(403, status(prop), prop.toString());
            assertFalse(prop.containsKey("value"), prop.toString());
        }
    }

    /** One HTTP/1.1 answer with a Content-Length, read whole from a kept connection. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        Matcher m = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertTrue(m.find(), head.toString());
        byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
        return head + new String(body, StandardCharsets.UTF_8);
    }

    /** Attached later (agentmain), Jolokia starts the same way. */
    @Test
    void attachedIntoARunningJvmJolokiaServesToo() throws Exception {
        Path portFile = tmp.resolve("attached.json");
        try (AgentJvm app =
                AgentJvm.builder(tmp).withoutAgent().main(SleepApp.class).start()) {
            app.awaitOutput("app: started");
            AttachIT.Result r =
                    AttachIT.attach(app.pid(), "port=0,jolokia=127.0.0.1:0,debug=true,portFile=" + portFile);
            assertEquals(0, r.code(), r.toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(portFile) && Files.size(portFile) > 0);
            Map<String, Object> ports = JsonParser.parseObject(Files.readString(portFile));
            String base = "http://127.0.0.1:" + ((Number) ports.get("jolokia")).intValue() + "/jolokia/";
            assertEquals(
                    "attached",
                    get(base + "exec/hbwatch:type=Heartbeat/ping/attached").get("value"));
            assertEquals(403L, status(get(base + "exec/java.lang:type=Memory/gc")));
        }
    }

    @Test
    void aBusyPortIsOneLineAndTheHeartbeatCarriesOn() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                AgentJvm app = AgentJvm.builder(tmp)
                        .agentArgs("jolokia=127.0.0.1:" + busy.getLocalPort())
                        .main(SleepApp.class)
                        .start()) {
            AgentJvm.Ports ports = app.awaitPorts();
            assertEquals(-1, ports.jolokia());
            try (BeatClient c = BeatClient.connect(ports.heartbeat(), "{}")) {
                assertEquals("UP", c.next().get("status"));
            }
            app.awaitOutput("hbwatch: heartbeat on"); // printed just after the port file is written
            List<String> lines = AgentIT.hbwatchLines(app);
            assertEquals(2, lines.size(), app.stderr());
            assertTrue(
                    lines.get(0).startsWith("hbwatch: jolokia: 127.0.0.1:" + busy.getLocalPort() + " is in use"),
                    lines.toString());
            assertTrue(lines.get(1).startsWith("hbwatch: heartbeat on"), lines.toString());
        }
    }

    @Test
    void besideTheApplicationsOwnJolokiaBothWorkApart() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .jvmArgs(StockJolokia.jvmArg(""))
                .agentArgs("jolokia=127.0.0.1:0")
                .main(SleepApp.class)
                .start()) {
            String theirs = StockJolokia.awaitUrl(app);
            String ours = "http://127.0.0.1:" + app.awaitPorts().jolokia() + "/jolokia/";
            // Theirs keeps its own (open) defaults, ours its closed policy: neither read the other's lists.
            assertEquals(200L, status(get(theirs + "exec/java.lang:type=Memory/gc")));
            assertEquals(403L, status(get(ours + "exec/java.lang:type=Memory/gc")));
            assertEquals("x", get(theirs + "exec/hbwatch:type=Heartbeat/ping/x").get("value"));
            assertEquals("y", get(ours + "exec/hbwatch:type=Heartbeat/ping/y").get("value"));
        }
    }

    @Test
    void basicAuthOverRealHttp() throws Exception {
        Path secret = tmp.resolve("pw");
        Files.writeString(secret, "hunter2\n");
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("jolokia=127.0.0.1:0,jolokiaUser=mon,jolokiaPasswordFile=" + secret)
                .main(SleepApp.class)
                .start()) {
            String url =
                    "http://127.0.0.1:" + app.awaitPorts().jolokia() + "/jolokia/read/hbwatch:type=Heartbeat/Status";
            assertEquals(401, Http.get(url).statusCode());
            assertEquals(401, Http.get(url, "mon", "hunter3").statusCode());
            HttpResponse<String> ok = Http.get(url, "mon", "hunter2");
            assertEquals(200, ok.statusCode());
            assertEquals("UP", JsonParser.parseObject(ok.body()).get("value"));
        }
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("io.hbwatch.testing.Jdks#tested")
    void jolokiasThreadsAreDaemonsNamedHbwatch(int feature) throws Exception {
        Path portFile = tmp.resolve("threads-" + feature + ".json");
        try (AgentJvm app = AgentJvm.builder(tmp)
                .java(Jdks.require(feature))
                .agentArgs("jolokia=127.0.0.1:0,portFile=" + portFile)
                .main(ThreadsApp.class, portFile.toString())
                .start()) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stderr());
            List<String> threads =
                    app.stdout().lines().filter(l -> l.startsWith("thread: ")).collect(Collectors.toList());
            assertTrue(threads.contains("thread: hbwatch-jolokia-accept daemon=true"), threads.toString());
            for (String t : threads) {
                assertFalse(
                        t.contains("HTTP-Dispatcher") || t.contains("timeout-task") || t.contains("server-timer"), t);
            }
        }
    }
}
