package io.hbwatch.monitor.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A heartbeat server that misbehaves on purpose: a real {@link ServerSocket} on a free loopback
 * port whose every connection runs a script (garbage, huge lines, silence, a slow drip...).
 */
public final class FakeServer implements AutoCloseable {
    /** What the server does with one accepted connection; {@code n} counts connections from 0. */
    public interface Script {
        void serve(Socket socket, int n) throws Exception;
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    public FakeServer(Script script) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket s = server.accept();
                            int n = connections.getAndIncrement();
                            Thread c = new Thread(
                                    () -> {
                                        try (s) {
                                            script.serve(s, n);
                                        } catch (Exception e) {
                                            // the monitor hung up: fine for a fake
                                        }
                                    },
                                    "fake-conn-" + n);
                            c.setDaemon(true);
                            c.start();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "fake-server");
        t.setDaemon(true);
        t.start();
    }

    /** A loopback port that nothing listens on (free a moment ago). */
    public static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    public String target() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Writes {@code line} and a newline. */
    public static void send(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A v1 beat of the VM with the given fields; its pid is 4000 plus the length of {@code instance}. */
    public static String beat(long seq, long intervalMs, String status, String instance) {
        return "{\"v\":1,\"seq\":" + seq + ",\"time\":" + System.currentTimeMillis() + ",\"interval\":" + intervalMs
                + ",\"subject\":\"vm\",\"status\":\"" + status + "\""
                + (status.equals("UP") ? "" : ",\"reason\":\"deadlock\",\"detail\":\"2 threads deadlocked\"")
                + ",\"instance\":\"" + instance + "\",\"pid\":" + (4000 + instance.length()) + "}";
    }

    /** {@code line} signed with {@code secret}, as an agent with {@code secret=} sends it. */
    public static String signed(String line, String secret) {
        byte[] b = java.util.Arrays.copyOf(
                line.getBytes(StandardCharsets.UTF_8),
                line.length() + io.hbwatch.protocol.BeatSignature.OVERHEAD_BYTES);
        int n = new io.hbwatch.protocol.BeatSignature(secret.getBytes(StandardCharsets.UTF_8))
                .sign(b, line.getBytes(StandardCharsets.UTF_8).length);
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** {@code line} with the connection's {@code nonce} added and signed, as an agent with a secret sends it. */
    public static String signed(String line, String secret, String nonce) {
        return signed(line.substring(0, line.length() - 1) + ",\"nonce\":\"" + nonce + "\"}", secret);
    }

    /** Reads the monitor's first line and returns its nonce (null when it sent none). */
    public static String nonceOf(Socket s) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int b; (b = s.getInputStream().read()) >= 0 && b != '\n'; ) {
            line.append((char) b);
        }
        Object nonce =
                io.hbwatch.protocol.JsonParser.parseObject(line.toString()).get("nonce");
        return nonce == null ? null : nonce.toString();
    }

    /** Sends beats {@code from..to} every {@code intervalMs}. */
    public static void beats(Socket s, long from, long to, long intervalMs, String instance) throws Exception {
        for (long seq = from; seq <= to; seq++) {
            send(s, beat(seq, intervalMs, "UP", instance));
            Thread.sleep(intervalMs);
        }
    }

    /** Keeps the connection open and silent until the monitor hangs up. */
    public static void holdOpen(Socket s) throws IOException {
        while (s.getInputStream().read() >= 0) {
            // discard what the monitor sends (its subscription line)
        }
    }
}
