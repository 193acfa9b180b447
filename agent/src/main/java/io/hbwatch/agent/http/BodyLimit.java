package io.hbwatch.agent.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps a request's body at {@link #MAX_BYTES}: a larger {@code Content-Length} is answered {@code
 * 413} before a byte of it is read, and a chunked body that grows past the cap ends its exchange
 * with an error. Jolokia parses a POST body whole into JSON objects, so without a cap one request
 * could fill the host's heap. A monitor's bulk request is about 300 bytes.
 */
final class BodyLimit extends Filter {
    /** Largest request body accepted, in bytes. */
    static final int MAX_BYTES = 64 * 1024;

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && tooLong(length.trim())) {
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(413, -1);
            exchange.close();
            return;
        }
        exchange.setStreams(new Capped(exchange.getRequestBody()), null);
        chain.doFilter(exchange);
    }

    private static boolean tooLong(String length) {
        try {
            return Long.parseLong(length) > MAX_BYTES;
        } catch (NumberFormatException e) {
            return false; // the JDK server has refused it already
        }
    }

    @Override
    public String description() {
        return "hbwatch: request bodies of at most " + MAX_BYTES + " bytes";
    }

    /** Fails a read past the cap. Not thread-safe (one exchange). */
    static final class Capped extends FilterInputStream {
        private long left = MAX_BYTES;

        Capped(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            left -= n;
            if (left < 0) {
                throw new IOException("request body over " + MAX_BYTES + " bytes");
            }
        }
    }
}
