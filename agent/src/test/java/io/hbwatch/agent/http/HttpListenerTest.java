package io.hbwatch.agent.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's HTTP server on a real loopback socket, with a handler that echoes the target. */
class HttpListenerTest {
    private static final long TIMEOUT_MS = 500;
    private static final Pattern LENGTH = Pattern.compile("Content-Length: (\\d+)");

    private final AtomicInteger served = new AtomicInteger();
    private final List<Socket> clients = new ArrayList<>();
    private HttpListener listener;

    /** With a backlog that takes a burst of connects: the kernel, not the listener, is not under test. */
    private HttpListener start(int threads, HttpListener.Handler handler) throws IOException {
        return start(threads, handler, TIMEOUT_MS);
    }

    private HttpListener start(int threads, HttpListener.Handler handler, long timeoutMs) throws IOException {
        ServerSocketChannel socket =
                ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        listener = HttpListener.start(socket, null, handler, threads, timeoutMs);
        return listener;
    }

    private HttpListener startEcho(int threads) throws IOException {
        return start(threads, (request, client) -> {
            served.incrementAndGet();
            return HttpResponse.of(200, "text/plain", request.target().getBytes(StandardCharsets.UTF_8));
        });
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.port());
        s.setSoTimeout(10_000);
        clients.add(s);
        return s;
    }

    @AfterEach
    void stop() {
        clients.forEach(HttpListenerTest::closeQuietly);
        if (listener != null) {
            listener.close();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // test over
        }
    }

    private static void send(Socket s, String raw) throws IOException {
        s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One answer: head and its Content-Length of body. */
    private static String answer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new SocketException("closed after: " + head);
            }
            head.append((char) b);
        }
        Matcher m = LENGTH.matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** True once the server has closed the connection (end of stream or reset). */
    private static boolean closedByServer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void servesRequestAfterRequestOnOneConnection() throws IOException {
        startEcho(1);
        Socket s = connect();
        InputStream in = new BufferedInputStream(s.getInputStream());
        for (int i = 0; i < 3; i++) {
            send(s, "GET /jolokia/" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String a = answer(in);
            assertTrue(a.startsWith("HTTP/1.1 200 OK\r\n"), a);
            assertTrue(a.endsWith("\r\n\r\n/jolokia/" + i), a);
        }
        send(s, "GET /last HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertTrue(answer(in).contains("Connection: close\r\n"));
        assertTrue(closedByServer(s));
    }

    @Test
    void anHttp10ClientThatAsksToKeepTheConnectionIsToldItIsKept() throws IOException {
        startEcho(1);
        Socket s = connect();
        InputStream in = new BufferedInputStream(s.getInputStream());
        send(s, "GET /one HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertTrue(answer(in).contains("\r\nConnection: keep-alive\r\n"));
        send(s, "GET /two HTTP/1.0\r\n\r\n");
        String a = answer(in);
        assertTrue(a.contains("\r\nConnection: close\r\n") && a.endsWith("/two"), a);
        assertTrue(closedByServer(s));
    }

    @Test
    void aBrokenRequestIsAnsweredWithItsStatusAndTheConnectionClosed() throws IOException {
        startEcho(1);
        Socket s = connect();
        send(s, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        InputStream in = new BufferedInputStream(s.getInputStream());
        String a = answer(in);
        assertTrue(a.startsWith("HTTP/1.1 411 Length Required\r\n"), a);
        assertTrue(a.contains("Connection: close"), a);
        assertTrue(closedByServer(s));
        assertEquals(0, served.get());
    }

    @Test
    void aSilentClientIsCutOffAfterTheTimeout() throws IOException {
        startEcho(1);
        Socket s = connect();
        long t0 = System.nanoTime();
        assertTrue(closedByServer(s));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= TIMEOUT_MS - 50 && ms < 5_000, ms + " ms");
    }

    @Test
    void aSlowDripIsCutOffAtTheDeadlineEvenWhileBytesKeepComing() throws Exception {
        startEcho(1);
        Socket s = connect();
        send(s, "GET /jolokia HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        long t0 = System.nanoTime();
        // A byte every 100 ms never trips a read timeout; only the deadline ends it.
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    try {
                        send(s, "X");
                        return false;
                    } catch (IOException e) {
                        return true;
                    }
                });
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= TIMEOUT_MS - 50);
        assertEquals(0, served.get());
    }

    @Test
    void aKeptConnectionHoldsNoWorkerWhileItIdles() throws IOException {
        startEcho(1);
        Socket first = connect();
        InputStream in1 = new BufferedInputStream(first.getInputStream());
        send(first, "GET /first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(answer(in1).endsWith("/first"));
        // The only worker is free again although the first connection stays open.
        Socket second = connect();
        send(second, "GET /second HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(answer(new BufferedInputStream(second.getInputStream())).endsWith("/second"));
        send(first, "GET /again HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(answer(in1).endsWith("/again"));
    }

    @Test
    void silentConnectionsHoldNoWorker() throws IOException {
        startEcho(1);
        for (int i = 0; i < 50; i++) {
            connect();
        }
        Socket s = connect();
        send(s, "GET /heard HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(answer(new BufferedInputStream(s.getInputStream())).endsWith("/heard"));
    }

    @Test
    void pastTheLimitTheConnectionWaitingLongestIsClosed() throws IOException {
        start(
                1,
                (request, client) ->
                        HttpResponse.of(200, "text/plain", request.target().getBytes(StandardCharsets.UTF_8)),
                60_000);
        Socket oldest = connect();
        for (int i = 0; i < HttpListener.MAX_WAITING; i++) {
            connect();
        }
        assertTrue(closedByServer(oldest));
        Socket s = clients.get(clients.size() - 1);
        send(s, "GET /newest HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(answer(new BufferedInputStream(s.getInputStream())).endsWith("/newest"));
    }

    @Test
    void aFailingHandlerIsA500AndTheServerGoesOn() throws IOException {
        start(1, (request, client) -> {
            if (request.target().equals("/fail")) {
                throw new IllegalStateException("boom");
            }
            return HttpResponse.empty(204);
        });
        Socket s = connect();
        InputStream in = new BufferedInputStream(s.getInputStream());
        send(s, "GET /fail HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        String a = answer(in);
        assertTrue(a.startsWith("HTTP/1.1 500 "), a);
        assertFalse(a.contains("boom"), a);
        send(s, "GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(answer(in).startsWith("HTTP/1.1 204 "));
    }

    @Test
    void closeCutsConnectionsInFlightAndEndsItsThreads() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        start(2, (request, client) -> {
            inHandler.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HttpResponse.empty(204);
        });
        Socket s = connect();
        send(s, "GET /hang HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        listener.close();
        assertTrue(closedByServer(s));
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> !before.contains(t) && t.getName().startsWith("hbwatch-jolokia")));
    }
}
