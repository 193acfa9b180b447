package io.hbwatch.agent.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Makes a response leave in one TCP write, so that a keep-alive client does not wait 40 ms for
 * each answer.
 *
 * <p>Why: Jolokia streams its JSON and flushes it before closing the body; the JDK server then
 * writes the headers and the data in one segment and the closing chunk ({@code 0\r\n\r\n}) in a
 * second. With Nagle's algorithm on (the JDK server only turns it off with the JVM-wide property
 * {@code sun.net.httpserver.nodelay}, read once), that second segment waits for the client's ACK
 * of the first, and the client delays that ACK by up to 40 ms. Buffering the body here, ignoring
 * the handler's flushes and writing it all on {@code close()} lets the JDK's own 8 KiB buffer send
 * headers, data and closing chunk together (Java 21 and later buffer the headers; Java 17 writes
 * them at once, which is why {@link NoDelay} is applied here too). Larger responses (a big {@code
 * list}) still go in several writes; the small reads and execs a monitor does fit in one.
 *
 * <p>This touches only the exchanges of the context it is added to: the application's own
 * {@code HttpServer}s, if any, are left as they are.
 */
final class OneWriteFilter extends Filter {
    private final NoDelay noDelay;

    /** @param noDelay sets TCP_NODELAY per connection where the JDK allows it; may be null */
    OneWriteFilter(NoDelay noDelay) {
        this.noDelay = noDelay;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (noDelay != null) {
            noDelay.apply(exchange);
        }
        if ("HEAD".equalsIgnoreCase(exchange.getRequestMethod())) {
            // Jolokia would answer with a body length, and the JDK server would then print a
            // WARNING through java.util.logging into the host's stderr. Jolokia serves no HEAD.
            exchange.getResponseHeaders().set("Allow", "GET, POST, OPTIONS");
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        exchange.setStreams(null, new Coalescing(exchange.getResponseBody()));
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "hbwatch: one write per response";
    }

    /** Collects the body; hands it on in one write when closed. Not thread-safe (one exchange). */
    static final class Coalescing extends OutputStream {
        private final OutputStream target;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        private boolean closed;

        Coalescing(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            body.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            body.write(b, off, len);
        }

        /** Deliberately nothing: an early flush is what splits the response. */
        @Override
        public void flush() {}

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                body.writeTo(target);
            } finally {
                target.close();
            }
        }
    }
}
