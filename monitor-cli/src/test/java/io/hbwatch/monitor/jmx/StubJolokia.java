package io.hbwatch.monitor.jmx;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Jolokia look-alike on a free loopback port, answering the monitor's bulk request with
 * whatever a test needs (a Sequence that never moves, a DEGRADED status, a 401), over real HTTP.
 */
public final class StubJolokia implements AutoCloseable {
    private static final Pattern NONCE = Pattern.compile("\"arguments\":\\[\"([^\"]*)\"\\]");

    /** An answer: HTTP status and body, given the nonce of the request's ping. */
    public record Answer(int httpStatus, String body) {}

    private final HttpServer server;

    private final AtomicInteger requests = new AtomicInteger();

    public StubJolokia(Function<String, Answer> answer) throws IOException {
        this(
                exchange -> {
                    String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    Matcher m = NONCE.matcher(request);
                    Answer a = answer.apply(m.find() ? m.group(1) : "");
                    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(a.httpStatus(), body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                },
                8);
    }

    /** A stub that answers with whatever {@code handler} does (HTML, redirects, an endless body). */
    public static StubJolokia handling(HttpHandler handler) throws IOException {
        return new StubJolokia(handler, 8);
    }

    private StubJolokia(HttpHandler handler, int backlog) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "test-stub-jolokia");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/jolokia", exchange -> {
            requests.incrementAndGet();
            handler.handle(exchange);
        });
        server.start();
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jolokia";
    }

    /** The bulk answer of a Heartbeat MBean with this status and sequence. */
    public static Answer heartbeat(String status, long sequence, String nonce) {
        return new Answer(
                200,
                "[{\"request\":{\"type\":\"read\",\"mbean\":\"hbwatch:type=Heartbeat\"},\"value\":{\"Status\":\""
                        + status
                        + "\",\"Reason\":" + (status.equals("UP") ? "null" : "\"pause\"")
                        + ",\"Detail\":\"a pause of 1.2 s\",\"Sequence\":" + sequence
                        + ",\"IntervalMillis\":100,\"Instance\":\"i1\"},\"status\":200},"
                        + "{\"request\":{\"type\":\"exec\",\"mbean\":\"hbwatch:type=Heartbeat\",\"operation\":\"ping\"},"
                        + "\"value\":\"" + nonce + "\",\"status\":200}]");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
