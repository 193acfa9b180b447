package io.hbwatch.agent.http;

import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's HTTP server: one daemon thread accepts, a bounded pool of daemon workers serves one
 * connection each, request after request, and every request runs under a deadline.
 *
 * <ul>
 *   <li><b>Workers:</b> {@code threads} of them ({@code hbwatch-jolokia-N}, ending after a minute
 *       idle); {@value #QUEUE} more connections wait, further ones are closed at once.
 *   <li><b>Deadline:</b> a request must arrive whole and be answered within {@code timeoutMs},
 *       counted from when the worker starts waiting for it; past that its socket is closed, which
 *       ends a silent client, a slow drip, a body shorter than its {@code Content-Length} or a client
 *       that does not read its answer alike. One {@code hbwatch-jolokia-deadline-1} thread keeps
 *       the time.
 *   <li><b>Keep-alive:</b> a connection waits up to {@value #KEEP_ALIVE_MS} ms for its next request,
 *       and gives its worker up at once when another connection is waiting for one.
 *   <li><b>Limits on a request:</b> those of {@link HttpRequest}; one broken request is answered
 *       with its status and its connection closed.
 * </ul>
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: it sets TCP_NODELAY and its time limits only
 * through JVM-wide system properties, writes a date header with a zone name (loading the JDK's
 * locale tables, several MiB, into the host), and names its threads itself. This one is small
 * because it serves one handler on one port for a few clients. Thread-safe.
 */
final class HttpListener implements Closeable {
    /** Connections waiting for a worker before new ones are turned away. */
    static final int QUEUE = 64;
    /** Longest wait for the next request on a kept connection. */
    static final int KEEP_ALIVE_MS = 30_000;

    /** What serves the requests. */
    interface Handler {
        /**
         * @param client the remote end of the connection
         * @return the answer; never null. May throw: the client then gets a 500.
         */
        HttpResponse handle(HttpRequest request, InetSocketAddress client);
    }

    private final ServerSocket socket;
    private final Handler handler;
    private final long timeoutMs;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor deadlines;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Set<Connection> idle = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private HttpListener(ServerSocket socket, Handler handler, int threads, long timeoutMs) {
        this.socket = socket;
        this.handler = handler;
        this.timeoutMs = timeoutMs;
        this.workers = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                HbThreads.factory("jolokia"),
                new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        this.deadlines = new ScheduledThreadPoolExecutor(1, HbThreads.factory("jolokia-deadline"));
        deadlines.setKeepAliveTime(60, TimeUnit.SECONDS);
        deadlines.allowCoreThreadTimeOut(true);
        deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Serves {@code handler} on an already bound {@code socket} (plain or TLS) from now on.
     *
     * @param threads most requests served at once
     * @param timeoutMs longest one request may take, from waiting for it to its answer's last byte
     */
    static HttpListener start(ServerSocket socket, Handler handler, int threads, long timeoutMs) {
        HttpListener listener = new HttpListener(socket, handler, threads, timeoutMs);
        HbThreads.start("jolokia-accept", listener.new Acceptor());
        return listener;
    }

    /** The port it listens on. */
    int port() {
        return socket.getLocalPort();
    }

    /** Stops accepting and cuts every connection, in flight or not. Never throws; idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
        for (Connection c : open) {
            closeQuietly(c.socket);
        }
        workers.shutdownNow();
        deadlines.shutdownNow();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }

    /** Accepts until closed; hands each connection to a worker or, when all are busy, to the queue. */
    private final class Acceptor implements Runnable {
        @Override
        public void run() {
            while (!closed) {
                Socket s;
                try {
                    s = socket.accept();
                } catch (IOException e) {
                    if (!closed) {
                        Log.debug("jolokia: accept failed (" + Log.describe(e) + ")");
                        pause();
                    }
                    continue;
                }
                Connection c = new Connection(s);
                try {
                    workers.execute(c);
                } catch (RejectedExecutionException e) {
                    closeQuietly(s); // QUEUE connections are waiting already
                    continue;
                }
                if (!workers.getQueue().isEmpty()) {
                    freeAnIdleWorker();
                }
            }
        }

        /** A connection is waiting: one kept-alive connection that is only idling gives its worker up. */
        private void freeAnIdleWorker() {
            for (Connection c : idle) {
                if (idle.remove(c)) {
                    closeQuietly(c.socket);
                    return;
                }
            }
        }

        /** After a failed accept (out of file descriptors, say), not to spin. */
        private void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** One connection, served request after request on one worker. */
    private final class Connection implements Runnable {
        private final Socket socket;

        Connection(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            open.add(this);
            try {
                if (closed) {
                    return;
                }
                socket.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
                OutputStream out = socket.getOutputStream();
                InetSocketAddress client = (InetSocketAddress) socket.getRemoteSocketAddress();
                boolean first = true;
                while (!closed && (first || awaitNext(in))) {
                    first = false;
                    if (!serveOne(in, out, client)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away, or its deadline closed the socket
            } finally {
                open.remove(this);
                idle.remove(this);
                closeQuietly(socket);
            }
        }

        /** Waits for the first byte of the next request; false when the connection should end. */
        private boolean awaitNext(InputStream in) throws IOException {
            idle.add(this);
            if (!workers.getQueue().isEmpty()) {
                return false; // someone is waiting for this worker
            }
            try {
                socket.setSoTimeout(KEEP_ALIVE_MS);
                in.mark(1);
                if (in.read() < 0) {
                    return false;
                }
                in.reset();
                return idle.remove(this); // false if it was picked to give way meanwhile
            } catch (SocketTimeoutException e) {
                return false;
            }
        }

        /** Reads one request and answers it, under the deadline; true when the connection may go on. */
        private boolean serveOne(InputStream in, OutputStream out, InetSocketAddress client) throws IOException {
            ScheduledFuture<?> deadline;
            try {
                deadline = deadlines.schedule(new Expire(socket), timeoutMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return false; // closing
            }
            try {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
                HttpRequest request;
                try {
                    request = HttpRequest.read(in, out);
                } catch (HttpRequest.Refused e) {
                    out.write(HttpResponse.text(e.status(), e.getMessage()).bytes(false, false));
                    return false;
                }
                if (request == null) {
                    return false;
                }
                HttpResponse response;
                try {
                    response = handler.handle(request, client);
                } catch (RuntimeException | LinkageError e) {
                    Log.debug("jolokia: request failed (" + Log.describe(e) + ")");
                    response = HttpResponse.text(500, null);
                }
                boolean keep = request.keepAlive() && !closed;
                out.write(response.bytes(keep, "HEAD".equals(request.method())));
                return keep;
            } finally {
                deadline.cancel(false);
            }
        }
    }

    /** Closes a socket whose request ran past its deadline. */
    private static final class Expire implements Runnable {
        private final Socket socket;

        Expire(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            closeQuietly(socket);
        }
    }
}
