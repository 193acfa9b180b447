package io.hbwatch.agent.http;

import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The agent's HTTP server. One daemon thread ({@code hbwatch-jolokia-accept}) accepts connections
 * and reads, on a selector, each request's head and body ({@link PendingRequest}); only a whole
 * request is handed to a worker of a bounded pool ({@code hbwatch-jolokia-N}), which answers it
 * under a deadline. Slow or half-sent requests hold a buffer and a file descriptor, never a worker.
 * (Over TLS the worker reads the request itself: decrypted bytes cannot be waited for on a
 * selector.)
 *
 * <ul>
 *   <li><b>Connections that say nothing</b> hold no thread: a file descriptor each, at most {@value
 *       #MAX_WAITING} of them (past that the one waiting longest is closed), each closed after
 *       {@code timeoutMs} before its first request and after {@value #KEEP_ALIVE_MS} ms between
 *       requests.
 *   <li><b>Workers:</b> {@code threads} of them, ending after a minute idle; {@value #QUEUE}
 *       requests more wait for one, further ones are closed.
 *   <li><b>Deadlines:</b> a plain request must arrive whole within {@code timeoutMs} of its first
 *       byte (or of the connection, for the first request), else its connection is closed on the
 *       selector: a slow drip, a body shorter than its {@code Content-Length}. Once a worker has
 *       it, it must be answered within {@code timeoutMs}, which ends a client that does not read
 *       its answer. One {@code hbwatch-jolokia-deadline-1} thread keeps the time.
 *   <li><b>Keep-alive:</b> after an answer a plain connection goes back to the selector, not
 *       holding its worker. A TLS connection keeps its worker while it idles (its decrypted
 *       bytes cannot be waited for on a selector), and gives it up as soon as another connection
 *       waits for a worker.
 *   <li><b>Limits on a request:</b> those of {@link HttpRequest}; one broken request is answered
 *       with its status and its connection closed.
 * </ul>
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: it sets TCP_NODELAY and its time limits only
 * through JVM-wide system properties, writes a date header with a zone name (which loads the JDK's
 * locale tables, several MiB, into the host), and starts and names its threads itself. This one
 * serves one handler on one port for a few clients. Thread-safe.
 */
final class HttpListener implements Closeable {
    private static final byte[] CONTINUE =
            "HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Requests waiting for a worker before new ones are turned away. */
    static final int QUEUE = 64;
    /** Longest wait for the next request on a kept connection. */
    static final int KEEP_ALIVE_MS = 30_000;
    /** Most connections waiting, without a thread, for their next request. */
    static final int MAX_WAITING = 256;

    /** What serves the requests. */
    interface Handler {
        /**
         * @param client the remote end of the connection
         * @return the answer; never null. May throw: the client then gets a 500.
         */
        HttpResponse handle(HttpRequest request, InetSocketAddress client);
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final SSLSocketFactory tls;
    private final Handler handler;
    private final long timeoutMs;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor deadlines;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Set<Connection> idleTls = ConcurrentHashMap.newKeySet();
    private final Queue<Connection> returning = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private HttpListener(ServerSocketChannel server, SSLSocketFactory tls, Handler handler, int threads, long timeoutMs)
            throws IOException {
        this.server = server;
        this.tls = tls;
        this.handler = handler;
        this.timeoutMs = timeoutMs;
        this.selector = Selector.open();
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
     * Serves {@code handler} on an already bound {@code server} from now on.
     *
     * @param tls makes it HTTPS; null for plain HTTP
     * @param threads most requests served at once
     * @param timeoutMs longest a connection may wait for its first request, and longest one request
     *     may take once a worker has it
     * @throws IOException when no selector can be opened
     */
    static HttpListener start(
            ServerSocketChannel server, SSLSocketFactory tls, Handler handler, int threads, long timeoutMs)
            throws IOException {
        HttpListener listener = new HttpListener(server, tls, handler, threads, timeoutMs);
        server.configureBlocking(false);
        server.register(listener.selector, SelectionKey.OP_ACCEPT);
        HbThreads.startWatched("jolokia-accept", 0, listener.new Acceptor());
        return listener;
    }

    /** The port it listens on. */
    int port() {
        return server.socket().getLocalPort();
    }

    /** Stops accepting and cuts every connection, in flight or not. Never throws; idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Connection c : open) {
            c.close();
        }
        selector.wakeup();
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

    /**
     * The selector loop: accepts, waits for each connection's first byte, hands it to a worker,
     * takes kept connections back, and closes those that waited too long.
     */
    private final class Acceptor implements Runnable {
        private final List<Connection> ready = new ArrayList<>();

        @Override
        public void run() {
            String lastProblem = null;
            try {
                while (!closed) {
                    try {
                        selector.select(sweep());
                        takeBack();
                        handleSelected();
                        while (!ready.isEmpty()) {
                            selector.selectNow(); // deregisters the keys of those handed on
                            for (Connection c : ready) {
                                hand(c);
                            }
                            ready.clear();
                            handleSelected();
                        }
                        lastProblem = null;
                    } catch (ClosedSelectorException e) {
                        return; // closing
                    } catch (Throwable e) { // OutOfMemoryError included: Jolokia must outlive it
                        if (closed) {
                            return;
                        }
                        lastProblem = report(e, lastProblem);
                    }
                }
            } finally {
                closeQuietly(selector);
            }
        }

        /** Says what went wrong once, not once per turn, and waits a little: the loop must not spin. */
        private String report(Throwable e, String lastProblem) {
            String problem = lastProblem;
            try {
                problem = Log.describe(e);
                if (!problem.equals(lastProblem)) {
                    Log.warn("jolokia: " + problem + "; serving on");
                }
            } catch (Throwable ignored) {
                // memory too short even for the line
            }
            pause();
            return problem;
        }

        private void handleSelected() {
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                try {
                    if (key.isAcceptable()) {
                        acceptAll();
                    } else if (key.isReadable()) {
                        Connection c = (Connection) key.attachment();
                        if (tls != null || c.readSome()) {
                            key.cancel();
                            ready.add(c);
                        }
                    }
                } catch (CancelledKeyException e) {
                    // closed meanwhile (listener closing): nothing to hand on
                }
            }
        }

        private void acceptAll() {
            while (!closed) {
                SocketChannel ch;
                try {
                    ch = server.accept();
                } catch (IOException e) {
                    // Out of file descriptors, say: the backlog waits; do not spin on it.
                    Log.debug("jolokia: accept failed (" + Log.describe(e) + ")");
                    pause();
                    return;
                }
                if (ch == null) {
                    return;
                }
                Connection c = new Connection(ch);
                open.add(c);
                if (waiting() >= MAX_WAITING) {
                    closeLongestWaiting();
                }
                c.await(timeoutMs);
            }
        }

        /** Connections on the selector. */
        private int waiting() {
            return selector.keys().size() - 1; // the server's own key
        }

        private void closeLongestWaiting() {
            Connection oldest = null;
            for (SelectionKey k : selector.keys()) {
                Connection c = (Connection) k.attachment();
                if (c != null && k.isValid() && (oldest == null || c.since < oldest.since)) {
                    oldest = c;
                }
            }
            if (oldest != null) {
                oldest.close();
            }
        }

        /** Closes the connections that waited past their time; returns ms until the next one is due. */
        private long sweep() {
            long now = System.nanoTime();
            long next = Long.MAX_VALUE;
            for (SelectionKey k : selector.keys()) {
                Connection c = (Connection) k.attachment();
                if (c == null || !k.isValid()) {
                    continue;
                }
                long left = c.until - now;
                if (left <= 0) {
                    c.close();
                } else {
                    next = Math.min(next, left);
                }
            }
            return next == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
        }

        private void takeBack() {
            for (Connection c = returning.poll(); c != null; c = returning.poll()) {
                c.await(KEEP_ALIVE_MS);
            }
        }

        private void hand(Connection c) {
            try {
                c.channel.configureBlocking(true);
                workers.execute(c);
            } catch (IOException | RejectedExecutionException e) {
                c.close(); // QUEUE requests are waiting already, or it broke meanwhile
                return;
            }
            if (!workers.getQueue().isEmpty()) {
                for (Connection idle : idleTls) {
                    if (idleTls.remove(idle)) {
                        idle.close(); // an idling TLS connection gives its worker up
                        break;
                    }
                }
            }
        }

        /** After a failed accept. */
        private void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** One connection: waiting on the selector, or served by a worker request after request. */
    private final class Connection implements Runnable {
        private final SocketChannel channel;
        /** A plain connection's next request, read on the selector until it is whole. */
        private final PendingRequest pending = new PendingRequest();

        private Socket socket;
        private InputStream in;
        private OutputStream out;
        /** When it started waiting, and until when it may wait (System.nanoTime). */
        private long since;

        private long until;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        /** On the selector thread: wait, without a thread, for up to {@code ms} for a request. */
        void await(long ms) {
            since = System.nanoTime();
            until = since + TimeUnit.MILLISECONDS.toNanos(ms);
            try {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, this);
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        /**
         * On the selector thread: reads what has come of a plain connection's request; true once
         * a worker should take it (whole, or broken), false to wait on. Closes it at end of stream.
         */
        boolean readSome() {
            try {
                boolean first = pending.length() == 0;
                java.nio.ByteBuffer room = pending.room();
                int n = room.hasRemaining() ? channel.read(room) : 0;
                if (n < 0) {
                    close();
                    return false;
                }
                pending.received(n);
                if (first && n > 0) {
                    // A request has begun: it has timeoutMs to arrive whole, however long the
                    // connection was kept before.
                    until = Math.min(until, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
                }
                if (pending.complete()) {
                    return true;
                }
                if (pending.wantsContinue()) {
                    pending.continued = true;
                    channel.write(java.nio.ByteBuffer.wrap(CONTINUE)); // 25 bytes: the socket takes them
                }
                return false;
            } catch (IOException | RuntimeException e) {
                close();
                return false;
            }
        }

        @Override
        public void run() {
            boolean kept = false;
            try {
                if (closed) {
                    return;
                }
                if (socket == null) {
                    open();
                }
                InetSocketAddress client = (InetSocketAddress) channel.getRemoteAddress();
                while (!closed && serveOne(client)) {
                    if (tls == null ? pending.length() > 0 && pending.complete() : in.available() > 0) {
                        continue; // the next request is here already
                    }
                    if (tls == null) {
                        kept = true;
                        returning.add(this);
                        selector.wakeup();
                        return;
                    }
                    if (!awaitNextTls()) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away, or its deadline closed the connection
            } finally {
                if (!kept) {
                    close();
                }
            }
        }

        private void open() throws IOException {
            Socket plain = channel.socket();
            plain.setTcpNoDelay(true);
            if (tls == null) {
                socket = plain;
            } else {
                SSLSocket s = (SSLSocket) tls.createSocket(plain, null, plain.getPort(), true);
                s.setUseClientMode(false);
                socket = s;
            }
            in = new BufferedInputStream(socket.getInputStream(), 4096);
            out = socket.getOutputStream();
        }

        /** Reads one request and answers it, under the deadline; true when the connection may go on. */
        private boolean serveOne(InetSocketAddress client) throws IOException {
            ScheduledFuture<?> deadline;
            try {
                deadline = deadlines.schedule(new Expire(this), timeoutMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return false; // closing
            }
            try {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
                HttpRequest request;
                try {
                    if (tls == null) {
                        // Whole in memory already (read on the selector); 100 Continue sent there.
                        java.io.ByteArrayInputStream buffered =
                                new java.io.ByteArrayInputStream(pending.bytes(), 0, pending.length());
                        request = HttpRequest.read(buffered, OutputStream.nullOutputStream());
                        pending.consumed(pending.length() - buffered.available());
                    } else {
                        request = HttpRequest.read(in, out);
                    }
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
                } catch (Throwable e) { // an OutOfMemoryError in one request is that request's 500
                    Log.debug("jolokia: request failed (" + Log.describe(e) + ")");
                    response = HttpResponse.text(500, null);
                }
                boolean keep = request.keepAlive() && !closed;
                if (keep && request.http10()) {
                    response.header("Connection", "keep-alive"); // HTTP/1.0 keeps only when told so
                }
                out.write(response.bytes(keep, "HEAD".equals(request.method())));
                out.flush();
                return keep;
            } finally {
                deadline.cancel(false);
            }
        }

        /** A TLS connection idles on its worker; false when it should end. */
        private boolean awaitNextTls() throws IOException {
            if (!workers.getQueue().isEmpty()) {
                return false; // someone is waiting for this worker
            }
            idleTls.add(this);
            try {
                socket.setSoTimeout(KEEP_ALIVE_MS);
                in.mark(1);
                if (in.read() < 0) {
                    return false;
                }
                in.reset();
                return idleTls.remove(this); // false if it was picked to give way meanwhile
            } catch (SocketTimeoutException e) {
                return false;
            } finally {
                idleTls.remove(this);
            }
        }

        /**
         * Closes the connection from any thread; never throws. The channel, not a TLS socket over it:
         * that would first try to send a close_notify, which could wait behind a blocked write.
         */
        void close() {
            open.remove(this);
            closeQuietly(channel);
        }
    }

    /** Closes a connection whose request ran past its deadline. */
    private static final class Expire implements Runnable {
        private final Connection connection;

        Expire(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void run() {
            connection.close();
        }
    }
}
