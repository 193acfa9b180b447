package io.hbwatch.examples.ha;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The receiver of Alertmanager's webhook notifications in {@link HaDemo}: the JDK's own HTTP server
 * on loopback, keeping each notification it is sent. Thread-safe.
 */
final class Webhook implements AutoCloseable {
    private static final Pattern STATUS = Pattern.compile("^\\{.*?\"status\":\"(\\w+)\"");
    private static final Pattern GROUP_TARGET = Pattern.compile("\"groupLabels\":\\{[^}]*\"target\":\"([^\"]+)\"");

    private final HttpServer server;
    private final List<String> received = new ArrayList<>();

    private Webhook(HttpServer server) {
        this.server = server;
    }

    static Webhook start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        Webhook hook = new Webhook(server);
        server.createContext("/", hook::handle);
        server.start();
        return hook;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (this) {
                received.add(body);
            }
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    /** Notifications received that say the alert about {@code target} fires. */
    synchronized int firing(String target) {
        int n = 0;
        for (String body : received) {
            Matcher status = STATUS.matcher(body);
            Matcher group = GROUP_TARGET.matcher(body);
            if (status.find()
                    && status.group(1).equals("firing")
                    && group.find()
                    && group.group(1).equals(target)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
