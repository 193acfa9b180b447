package io.hbwatch.monitor.jmx;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.methods.AbstractExecutionAwareRequest;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.conn.ClientConnectionManager;
import org.apache.http.entity.HttpEntityWrapper;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.params.HttpParams;
import org.apache.http.protocol.HttpContext;

/**
 * The HTTP client Jolokia's client builds, with every answer's body capped at {@link #MAX_BYTES}:
 * Jolokia's client parses a body whole into JSON objects, so an endpoint that answers without end
 * (a wrong URL on a file server, a hostile one) would otherwise fill the monitor's heap. Reading
 * past the cap fails with {@link TooLong}. Thread-safe as the client it wraps.
 */
final class CappedHttpClient extends CloseableHttpClient {
    /** Largest answer read, in bytes; the monitor's bulk answer is under a kilobyte. */
    static final int MAX_BYTES = 1024 * 1024;

    /** Aborts the exchanges that pass their deadline; one daemon thread for every probe. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    /** Whether the calling thread's latest exchange was cut off by its deadline. */
    private static final ThreadLocal<AtomicBoolean> LAST_ABORTED = ThreadLocal.withInitial(AtomicBoolean::new);

    private final CloseableHttpClient delegate;
    /** The latest answer until its body is closed; used by one check at a time. */
    private volatile CloseableHttpResponse open;

    private final long deadlineMs;

    /**
     * @param deadlineMs longest a whole exchange may take, from sending the request to the answer's
     *     last byte: a peer that drips its answer, sends {@code 100 Continue} without end or an
     *     endless chunked body never trips a socket's read timeout, only this
     */
    CappedHttpClient(CloseableHttpClient delegate, long deadlineMs) {
        this.delegate = delegate;
        this.deadlineMs = deadlineMs;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException {
        CloseableHttpResponse previous = open;
        if (previous != null) {
            // Left open by a read that failed (a deadline, a cap): without this the one kept
            // connection stays leased and every later check fails.
            open = null;
            previous.close();
        }
        AtomicBoolean aborted = new AtomicBoolean();
        LAST_ABORTED.set(aborted);
        ScheduledFuture<?> deadline = request instanceof AbstractExecutionAwareRequest r
                ? DEADLINES.schedule(
                        () -> {
                            aborted.set(true);
                            r.abort();
                        },
                        deadlineMs,
                        TimeUnit.MILLISECONDS)
                : null;
        try {
            CloseableHttpResponse response = delegate.execute(target, request, context);
            open = response;
            return capped(response, deadline);
        } catch (IOException | RuntimeException e) {
            cancel(deadline);
            throw e;
        }
    }

    /** The answer with its body capped; the deadline ends once the body is read and closed. */
    /** Whether the calling thread's latest exchange was cut off by its deadline (however it then failed). */
    static boolean lastAborted() {
        return LAST_ABORTED.get().get();
    }

    private static CloseableHttpResponse capped(CloseableHttpResponse response, ScheduledFuture<?> deadline) {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            cancel(deadline);
            return response;
        }
        response.setEntity(new HttpEntityWrapper(entity) {
            @Override
            public InputStream getContent() throws IOException {
                return new Capped(super.getContent(), deadline);
            }
        });
        return response;
    }

    private static void cancel(ScheduledFuture<?> deadline) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "monitor-jmx-deadline");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    @Override
    @Deprecated
    public HttpParams getParams() {
        return delegate.getParams();
    }

    @Override
    @Deprecated
    public ClientConnectionManager getConnectionManager() {
        return delegate.getConnectionManager();
    }

    /** An answer longer than {@link #MAX_BYTES}. */
    static final class TooLong extends IOException {
        TooLong() {
            super("an answer over " + MAX_BYTES / 1024 + " KiB");
        }
    }

    /** Fails a read past the cap. Not thread-safe (one answer). */
    private static final class Capped extends FilterInputStream {
        private final ScheduledFuture<?> deadline;
        private long left = MAX_BYTES;

        Capped(InputStream in, ScheduledFuture<?> deadline) {
            super(in);
            this.deadline = deadline;
        }

        @Override
        public void close() throws IOException {
            cancel(deadline);
            super.close();
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw new TooLong();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (left -= n) < 0) {
                throw new TooLong();
            }
            return n;
        }
    }
}
