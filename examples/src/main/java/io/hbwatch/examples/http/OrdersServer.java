package io.hbwatch.examples.http;

import com.sun.net.httpserver.HttpServer;
import io.hbwatch.examples.misbehave.Misbehaviour;
import io.hbwatch.examples.orders.Workers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's HTTP side on the JDK's own {@link HttpServer}: no framework, nothing to download.
 * Requests run on a small pool ({@code orders-http-N}) so a slow one does not hold up the rest.
 */
public final class OrdersServer implements AutoCloseable {
    /** Threads answering requests. */
    static final int HTTP_THREADS = 4;

    private final HttpServer server;
    private final ExecutorService pool;

    /**
     * Binds {@code host:port} ({@code port} 0 picks a free one) and starts serving.
     *
     * @throws IOException if the address cannot be bound
     */
    public OrdersServer(String host, int port, Workers workers, Misbehaviour misbehaviour) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 50);
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
            Thread t = new Thread(r, "orders-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/orders", new OrdersHandler(workers));
        server.createContext(MisbehaveHandler.PATH, new MisbehaveHandler(misbehaviour));
        server.createContext("/", new RootHandler(workers));
        server.start();
    }

    /** The port actually bound (the free one when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        java.net.InetAddress address = server.getAddress().getAddress();
        // Bound to every interface: loopback is the address that surely answers on this machine.
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
