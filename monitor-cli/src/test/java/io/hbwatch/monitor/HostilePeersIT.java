package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.Executable;
import io.hbwatch.monitor.support.FakeServer;
import io.hbwatch.monitor.support.Scrape;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built monitor, with a 64 MiB heap, against peers that mean harm: each exchange is bounded in
 * bytes, lines, headers and time, each failure is one DOWN event with a reason, the checks go on,
 * nothing reaches stderr as a stack trace, and the run ends with its exit code.
 */
class HostilePeersIT {
    private static final byte[] FILL = filled(64 * 1024, 'a');

    @TempDir
    Path tmp;

    /** Reads one request: its head, to the empty line, and its body by its Content-Length. */
    private static void readHead(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (m.find()) {
            in.readNBytes(Integer.parseInt(m.group(1)));
        }
    }

    private static void write(Socket s, String text) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static FakeServer hostileJolokia(String kind) throws Exception {
        return new FakeServer((s, n) -> {
            readHead(s);
            OutputStream out = s.getOutputStream();
            switch (kind) {
                case "endless-header":
                    write(s, "HTTP/1.1 200 OK\r\nX-Endless: ");
                    while (true) {
                        out.write(FILL);
                    }
                case "many-headers":
                    write(s, "HTTP/1.1 200 OK\r\n");
                    for (int i = 0; ; i++) {
                        write(s, "X-" + i + ": x\r\n");
                    }
                case "endless-continue":
                    while (true) {
                        write(s, "HTTP/1.1 100 Continue\r\n\r\n");
                    }
                case "slow-chunks":
                    write(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                    while (true) {
                        write(s, "1\r\n[\r\n");
                        Thread.sleep(50);
                    }
                case "drip":
                    byte[] answer = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n"
                                    + "[" + " ".repeat(1998))
                            .getBytes(StandardCharsets.US_ASCII);
                    for (byte b : answer) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(100);
                    }
                    break;
                case "wrong-shape":
                    String body = "[{\"status\":200,\"value\":[1,2]},\"two\"]";
                    write(
                            s,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                                    + "\r\n\r\n" + body);
                    readHead(s); // the next check on the kept connection, then closed
                    break;
                default:
                    throw new IllegalArgumentException(kind);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"endless-header", "many-headers", "endless-continue", "slow-chunks", "drip", "wrong-shape"})
    void aHostileJolokiaIsOneDownEventAndTheChecksGoOn(String kind) throws Exception {
        try (FakeServer peer = hostileJolokia(kind);
                Executable monitor = Executable.start(
                        List.of("env", "JAVA_OPTS=-Xmx64m"),
                        "127.0.0.1",
                        "--job",
                        "jmx",
                        "--jolokia",
                        "http://127.0.0.1:" + peer.port() + "/jolokia",
                        "--interval",
                        "200ms",
                        "--timeout",
                        "1s",
                        "--count",
                        "3",
                        "--format",
                        "json")) {
            assertEquals(2, monitor.awaitExit(), monitor::toString);
            List<String> lines = monitor.out().lines().toList();
            assertEquals(1, lines.size(), monitor::toString);
            String event = lines.get(0);
            assertTrue(event.contains("\"state\":\"DOWN\""), event);
            assertTrue(event.contains("\"reason\":\"protocol\"") || event.contains("\"reason\":\"timeout\""), event);
            assertFalse(monitor.err().contains("Exception"), monitor::toString);
            assertFalse(monitor.err().contains("\tat "), monitor::toString);
            assertTrue(peer.connections() >= 2, "checks made on fresh connections: " + peer.connections());
        }
    }

    /**
     * A beat whose interval would overflow the deadline's arithmetic, from one target of a targets
     * file: that stream is DOWN {@code protocol}, and the other target's stream goes on UP.
     */
    @Test
    void anOverflowingIntervalStopsNoOtherStream() throws Exception {
        try (FakeServer hostile = new FakeServer((s, n) -> {
                    FakeServer.send(s, FakeServer.beat(1, 3_100_000_000_000L, "UP", "bad"));
                    FakeServer.holdOpen(s);
                });
                FakeServer good = new FakeServer((s, n) -> FakeServer.beats(s, 1, 1_000, 100, "good"))) {
            Path file = tmp.resolve("targets.txt");
            Files.writeString(
                    file, hostile.target() + " --job hb\n" + good.target() + " --job hb\n", StandardCharsets.UTF_8);
            try (Executable monitor =
                    Executable.start(List.of(), "--targets", file.toString(), "--count", "8", "--format", "json")) {
                assertEquals(2, monitor.awaitExit(), monitor::toString);
                String out = monitor.out();
                assertTrue(
                        out.contains("\"target\":\"" + hostile.target() + "\",\"subject\":\"vm\",\"state\":\"DOWN\","
                                + "\"reason\":\"protocol\""),
                        monitor::toString);
                assertTrue(
                        out.contains("\"target\":\"" + good.target() + "\",\"subject\":\"vm\",\"state\":\"UP\""),
                        monitor::toString);
                assertFalse(monitor.err().contains("internal error"), monitor::toString);
            }
        }
    }

    /**
     * A peer's words with a NUL, escape sequences and a line break: the text output shows them
     * escaped on one line (no forged event line), and the hook still runs with them, escaped, in
     * its environment.
     */
    @Test
    void aPeersControlCharactersAreEscapedAndHooksStillRun() throws Exception {
        String forged = "cut\u0000off\u001b[2J\n12:00:00.000 hb 127.0.0.1:1 vm UP: all is well";
        try (FakeServer peer = new FakeServer((s, n) -> {
            FakeServer.send(s, "{\"error\":" + io.hbwatch.protocol.JsonLine.quote(forged) + "}");
        })) {
            Path said = tmp.resolve("said.txt");
            try (Executable monitor = Executable.start(
                    List.of(),
                    peer.target(),
                    "--job",
                    "hb",
                    "--count",
                    "1",
                    "--on-down",
                    "printf '%s' \"$HBWATCH_DETAIL\" > " + said)) {
                assertEquals(2, monitor.awaitExit(), monitor::toString);
                List<String> events =
                        monitor.out().lines().filter(l -> l.contains(" hb ")).toList();
                // the plugin line first, then the event: both escaped
                assertEquals(2, events.size(), monitor::toString);
                assertTrue(events.get(0).startsWith("HBWATCH CRITICAL - "), events.get(0));
                assertTrue(events.get(0).contains("cut\\u0000off\\u001b[2J\\u000a12:00"), events.get(0));
                events = events.subList(1, 2);
                assertTrue(events.get(0).contains("cut\\u0000off\\u001b[2J\\u000a12:00"), events.get(0));
                assertFalse(monitor.out().contains("\u001b"), monitor::toString);
                String hook = Files.readString(said, StandardCharsets.UTF_8);
                assertTrue(hook.contains("cut\\u0000off"), hook);
            }
        }
    }

    /** A client that sends one byte of its request and then nothing does not hold up the scrapes. */
    @Test
    void metricsAreServedWhileASlowClientHoldsAConnection() throws Exception {
        try (FakeServer agent = new FakeServer((s, n) -> FakeServer.beats(s, 1, 10_000, 100, "i"));
                Executable monitor = Executable.start(
                        List.of(), agent.target(), "--job", "hb", "--metrics", "127.0.0.1:0", "--format", "json")) {
            monitor.awaitErr("/metrics", java.time.Duration.ofSeconds(20));
            int port = Scrape.port(monitor.err());
            try (Socket slow = new Socket("127.0.0.1", port)) {
                slow.getOutputStream().write('G');
                slow.getOutputStream().flush();
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    String scraped = Scrape.metrics(port);
                    assertTrue(scraped.contains("hbwatch_"), scraped);
                    assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "a scrape took over 3 s");
                }
            }
        }
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }
}
