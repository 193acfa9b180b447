package io.hbwatch.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hostile clients of an HTTP port on loopback (the agent's Jolokia), beside the plain TCP ones of
 * {@link Attacks}, which {@link #run} falls back to for the names it shares with them ({@code
 * random-bytes}, {@code silent}, {@code connect-flood}, {@code resets}). Each attack is bounded in
 * connections and time and swallows the errors its own abuse provokes.
 */
public final class HttpAttacks {
    /** The attacks of an HTTP port, by name. */
    public static final List<String> NAMES = List.of(
            "http-garbage",
            "huge-headers",
            "many-headers",
            "huge-body",
            "huge-chunked-body",
            "short-body",
            "slow-headers",
            "slowloris",
            "amplification",
            "random-bytes",
            "silent",
            "connect-flood",
            "resets");

    private final Attacks tcp;
    private final String path;

    /** @param path the request path, e.g. {@code /jolokia/} */
    public HttpAttacks(int port, String path) {
        this.tcp = new Attacks(port);
        this.path = path;
    }

    /** Connections opened so far. */
    public long connections() {
        return tcp.connections.get();
    }

    /** Runs the attack of that name, one of {@link #NAMES}, for about {@code millis}. */
    public void run(String name, long millis) throws InterruptedException {
        switch (name) {
            case "http-garbage":
                for (String junk : List.of(
                        "GARBAGE\r\n\r\n",
                        "GET\r\n\r\n",
                        "GET / HTTP/9.9\r\n\r\n",
                        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
                        "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
                        "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                        "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9\r\n\r\n{[{[{[{[{",
                        "\u0000\u0001\u0002 \r\n\r\n")) {
                    for (int i = 0; i < 2; i++) {
                        exchange(junk.getBytes(StandardCharsets.ISO_8859_1), 2_000);
                    }
                }
                break;
            case "huge-headers":
                for (int i = 0; i < 4; i++) {
                    exchange(request("X-Junk: " + "a".repeat(4 << 20) + "\r\n", ""), 5_000);
                }
                break;
            case "many-headers":
                StringBuilder headers = new StringBuilder();
                for (int h = 0; h < 100_000; h++) {
                    headers.append("X-").append(h).append(": 1\r\n");
                }
                exchange(request(headers.toString(), ""), 5_000);
                break;
            case "huge-body":
                hugeBody(false);
                break;
            case "huge-chunked-body":
                hugeBody(true);
                break;
            case "short-body":
                holdOpen(
                        8,
                        millis,
                        "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"type\":\"read\"");
                break;
            case "slow-headers":
                holdOpen(
                        8, millis, "GET " + path + "read/hbwatch:type=Heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow");
                break;
            case "slowloris":
                holdOpen(300, millis, "GET " + path + "version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
                break;
            case "amplification":
                // 64 KiB of reads of every java.lang MBean (22 MB of answers once), then the most a
                // bulk may hold of them, in turn.
                long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
                for (int i = 0; System.nanoTime() - end < 0; i++) {
                    exchange(
                            request(
                                    "Content-Type: text/plain\r\n",
                                    i % 2 == 0 ? bulkRead(1_700, false) : bulkRead(64, true)),
                            10_000);
                }
                break;
            case "random-bytes":
                tcp.randomBytes(5, 8192);
                break;
            case "silent":
                tcp.silent(200, millis);
                break;
            case "resets":
                tcp.resets(15);
                break;
            default:
                tcp.run(name, millis);
                break;
        }
    }

    private byte[] request(String headers, String body) {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Content-Length: " + body.length()
                        + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A bulk of {@code n} reads of {@code java.lang:*}, with errors ignored or not. */
    private static String bulkRead(int n, boolean ignoreErrors) {
        String one = "{\"type\":\"read\",\"mbean\":\"java.lang:*\""
                + (ignoreErrors ? ",\"config\":{\"ignoreErrors\":true}}" : "}");
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(one);
        }
        return b.append(']').toString();
    }

    /** 64 MiB of body announced (or chunked) and sent as fast as the server takes it. */
    private void hugeBody(boolean chunked) {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) '[');
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + (1024L * chunk.length) + "\r\n")
                + "\r\n";
        byte[] chunkHead = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 2; i++) {
            try (Socket s = open()) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                for (int k = 0; k < 1024; k++) {
                    if (chunked) {
                        out.write(chunkHead);
                    }
                    out.write(chunk);
                    if (chunked) {
                        out.write(crlf);
                    }
                }
                Attacks.drain(s, 2_000);
            } catch (IOException e) {
                // cut off mid-body: the point
            }
        }
    }

    /** {@code count} connections that each send {@code start} and then nothing for {@code millis}. */
    private void holdOpen(int count, long millis, String start) throws InterruptedException {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                try {
                    Socket s = open();
                    open.add(s);
                    s.getOutputStream().write(start.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // refused: fine
                }
            }
            Thread.sleep(millis);
        } finally {
            open.forEach(Attacks::closeQuietly);
        }
    }

    /** Sends {@code bytes} on a new connection and reads the answer to its end or for {@code millis}. */
    private void exchange(byte[] bytes, int millis) {
        try (Socket s = open()) {
            s.getOutputStream().write(bytes);
            Attacks.drain(s, millis);
        } catch (IOException e) {
            // reset or closed early: a fine answer to junk
        }
    }

    private Socket open() throws IOException {
        return tcp.open();
    }
}
