package io.hbwatch.monitor.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code --metrics HOST:PORT}: the Prometheus client library's HTTP server with {@code /metrics}
 * (and {@code /-/healthy}), on one daemon thread; port 0 picks a free one.
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;

    public MetricsServer(String host, int port, Metrics metrics) throws IOException {
        // Our own JVM, so no intrusion: without it the JDK server's separate header and body writes meet
        // the scraper's delayed ACK (44 ms per keep-alive scrape, docs in MEASURED.md).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, "monitor-metrics");
            t.setDaemon(true);
            return t;
        });
        server = HTTPServer.builder()
                .hostname(host)
                .port(port)
                .registry(metrics.registry())
                .executorService(pool)
                .buildAndStart();
    }

    /** The port it listens on (the free one picked for port 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
