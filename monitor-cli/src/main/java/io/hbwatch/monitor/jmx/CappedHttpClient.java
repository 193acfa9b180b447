package io.hbwatch.monitor.jmx;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
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

    private final CloseableHttpClient delegate;

    CappedHttpClient(CloseableHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException {
        CloseableHttpResponse response = delegate.execute(target, request, context);
        HttpEntity entity = response.getEntity();
        if (entity != null) {
            response.setEntity(new HttpEntityWrapper(entity) {
                @Override
                public InputStream getContent() throws IOException {
                    return new Capped(super.getContent());
                }
            });
        }
        return response;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
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
        private long left = MAX_BYTES;

        Capped(InputStream in) {
            super(in);
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
