package io.hbwatch.monitor.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.monitor.support.FakeServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --job jmx} against a stub Jolokia over real HTTP: the states a real agent rarely shows. */
class JmxJobTest {

    private static CliRun jmx(String url, String... more) {
        String[] args =
                new String[] {"127.0.0.1", "--job", "jmx", "--jolokia", url, "--interval", "50ms", "--format", "json"};
        if (!java.util.Arrays.asList(more).contains("--timeout")) {
            // A generous timeout (the machine is loaded), unless the test gives its own.
            args = java.util.Arrays.copyOf(args, args.length + 2);
            args[args.length - 2] = "--timeout";
            args[args.length - 1] = "5s";
        }
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void upWhileSequenceAdvances() throws Exception {
        AtomicLong seq = new AtomicLong();
        try (StubJolokia stub = new StubJolokia(n -> StubJolokia.heartbeat("UP", seq.incrementAndGet(), n))) {
            CliRun run = jmx(stub.url(), "--count", "5");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals("UP null", run.states().get(0), run::toString);
            assertEquals("jmx", run.events().get(0).get("job"));
            assertEquals("vm", run.events().get(0).get("subject"));
        }
    }

    @Test
    void aSequenceThatStandsStillWhileHttpAnswersIsDownStall() throws Exception {
        try (StubJolokia stub = new StubJolokia(n -> StubJolokia.heartbeat("UP", 7, n))) {
            // The stub says a beat every 100 ms: still for 300 ms is stuck; 12 checks at 50 ms span 550 ms.
            CliRun run = jmx(stub.url(), "--count", "12");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("UP null", run.states().get(0), run::toString);
            assertEquals("DOWN stall", run.states().get(1), run::toString);
            assertTrue(run.events().get(1).get("detail").toString().contains("beat thread is stuck"), run::toString);
        }
    }

    @Test
    void theMBeansDegradedIsDegradedExitOne() throws Exception {
        AtomicLong seq = new AtomicLong();
        try (StubJolokia stub = new StubJolokia(n -> StubJolokia.heartbeat("DEGRADED", seq.incrementAndGet(), n))) {
            CliRun run = jmx(stub.url(), "--count", "2");
            assertEquals(1, run.exitCode(), run::toString);
            assertEquals("DEGRADED pause", run.states().get(0), run::toString);
        }
    }

    @Test
    void aWrongEchoIsDownProtocol() throws Exception {
        try (StubJolokia stub = new StubJolokia(n -> StubJolokia.heartbeat("UP", 1, "not-" + n))) {
            CliRun run = jmx(stub.url(), "--count", "1");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("DOWN protocol", run.states().get(0), run::toString);
        }
    }

    @Test
    void http401IsDownAuthAndHttp500IsDownHttp() throws Exception {
        try (StubJolokia stub = new StubJolokia(n -> new StubJolokia.Answer(401, "no"))) {
            CliRun run = jmx(stub.url(), "--count", "1");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("DOWN auth", run.states().get(0), run::toString);
        }
        try (StubJolokia stub = new StubJolokia(n -> new StubJolokia.Answer(500, "oops"))) {
            CliRun run = jmx(stub.url(), "--count", "1");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("DOWN http", run.states().get(0), run::toString);
        }
    }

    @Test
    void aFailedTlsHandshakeIsDownProtocolWithAHint() throws Exception {
        // A plain-text server behind an https:// URL: it answers the TLS hello with HTTP.
        try (FakeServer plain = new FakeServer((socket, n) -> {
            socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Thread.sleep(2000);
        })) {
            CliRun run = jmx("https://127.0.0.1:" + plain.port() + "/jolokia", "--count", "1");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("DOWN protocol", run.states().get(0), run::toString);
            String detail = run.events().get(0).get("detail").toString();
            assertTrue(detail.startsWith("TLS with https://") && detail.contains("javax.net.ssl.trustStore"), detail);
        }
    }

    /** Each hostile answer is one DOWN event with its reason, no stack trace, and the checks go on. */
    private static void assertDownAndStillChecking(StubJolokia stub, String state, String detail) {
        CliRun run = jmx(stub.url(), "--count", "3");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of(state), run.states(), run::toString);
        String said = run.events().get(0).get("detail").toString();
        assertTrue(said.contains(detail), said);
        assertFalse(run.err().contains("Exception") || run.out().contains("\tat "), run::toString);
        assertTrue(stub.requests() >= 3, "checks made: " + stub.requests());
    }

    @Test
    void anHtmlPageIsDownProtocol() throws Exception {
        try (StubJolokia stub = StubJolokia.handling(exchange -> {
            byte[] page = "<html><body>Welcome to nginx!</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        })) {
            assertDownAndStillChecking(stub, "DOWN protocol", "other than Jolokia's JSON");
        }
    }

    @Test
    void aRedirectLoopIsDownHttp() throws Exception {
        try (StubJolokia stub = StubJolokia.handling(exchange -> {
            exchange.getResponseHeaders()
                    .set("Location", exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        })) {
            assertDownAndStillChecking(stub, "DOWN http", "302");
        }
    }

    @Test
    void anEndlessAnswerIsCutAndDownProtocol() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) '[');
        try (StubJolokia stub = StubJolokia.handling(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try {
                for (int i = 0; i < 16 * 1024; i++) { // 1 GiB, unless the client hangs up first
                    exchange.getResponseBody().write(chunk);
                }
            } catch (java.io.IOException e) {
                // the monitor stopped reading: the point
            }
            exchange.close();
        })) {
            assertDownAndStillChecking(stub, "DOWN protocol", "over 1024 KiB");
        }
    }

    @Test
    void plainHttpOnATlsPortIsDownWithAHint() throws Exception {
        // What a TLS server sends a client that does not speak TLS: an alert record, then it hangs up.
        byte[] alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
        try (FakeServer tls = new FakeServer((socket, n) -> {
            socket.getInputStream().read(new byte[1024]);
            socket.getOutputStream().write(alert);
            socket.getOutputStream().flush();
        })) {
            CliRun run = jmx("http://127.0.0.1:" + tls.port() + "/jolokia", "--count", "3");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(1, run.states().size(), run::toString);
            assertTrue(run.states().get(0).startsWith("DOWN "), run::toString);
            String detail = run.events().get(0).get("detail").toString();
            assertTrue(detail.contains("https://"), detail);
            assertFalse(run.err().contains("Exception"), run::toString);
            assertTrue(tls.connections() >= 3, "checks made: " + tls.connections());
        }
    }

    @Test
    void nothingListeningIsDownRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRun run = jmx("http://127.0.0.1:" + port + "/jolokia", "--count", "1");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("DOWN refused", run.states().get(0), run::toString);
    }

    @Test
    void aSilentServerIsDownTimeout() throws Exception {
        // Accepts (the kernel does, into the backlog) and never answers: what a frozen JVM looks like.
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            CliRun run =
                    jmx("http://127.0.0.1:" + silent.getLocalPort() + "/jolokia", "--timeout", "300ms", "--count", "1");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("DOWN timeout", run.states().get(0), run::toString);
        }
    }

    @Test
    void userMistakesAreOneLineAndExitThree(@TempDir Path dir) {
        CliRun badUrl = CliRun.of("127.0.0.1", "--job", "jmx", "--jolokia", "ftp://x/jolokia");
        assertEquals(3, badUrl.exitCode(), badUrl::toString);
        assertTrue(badUrl.err().contains("is not an http:// or https:// URL"), badUrl::toString);
        assertTrue(!badUrl.err().contains("Exception"), badUrl::toString);

        CliRun noFile = CliRun.of(
                "127.0.0.1",
                "--job",
                "jmx",
                "--jolokia-user",
                "mon",
                "--jolokia-password-file",
                dir.resolve("nope").toString());
        assertEquals(3, noFile.exitCode(), noFile::toString);
        assertTrue(noFile.err().contains("--jolokia-password-file"), noFile::toString);
    }
}
