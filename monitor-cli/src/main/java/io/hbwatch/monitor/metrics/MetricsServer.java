package io.hbwatch.monitor.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --metrics HOST:PORT}: the Prometheus client library's HTTP server with {@code /metrics}
 * (and {@code /-/healthy}), on up to {@value #THREADS} daemon threads; port 0 picks a free one. A
 * slow or silent client holds one thread for at most {@value #MAX_REQUEST_SECONDS} s.
 */
public final class MetricsServer implements AutoCloseable {
    /** Scrapes served at once. */
    static final int THREADS = 4;
    /** Longest a request may take to arrive, and its answer to leave. */
    static final int MAX_REQUEST_SECONDS = 5;

    private final HTTPServer server;

    public MetricsServer(String host, int port, Metrics metrics) throws IOException {
        // Our own JVM, so no intrusion: without it the JDK server's separate header and body writes meet
        // the scraper's delayed ACK (44 ms per keep-alive scrape, docs in MEASURED.md).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // The JDK server reads each request on a pool thread: a client that sends a byte and then
        // nothing held the one thread, and every scrape waited behind it. Now a request must arrive
        // within MAX_REQUEST_SECONDS and be answered within as long, and THREADS serve at once.
        System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(MAX_REQUEST_SECONDS));
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16), r -> {
                    Thread t = new Thread(r, "monitor-metrics-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
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
