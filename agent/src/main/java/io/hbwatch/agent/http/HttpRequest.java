package io.hbwatch.agent.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.x request as the agent's Jolokia accepts it, read strictly and within fixed limits:
 * a head (request line and headers) of at most {@link #MAX_HEAD_BYTES} and {@link #MAX_HEADERS}
 * lines, a body only by {@code Content-Length} and of at most {@link #MAX_BODY_BYTES}. Whatever
 * falls outside is refused with the status that says why ({@link Refused}) before more of it is
 * read; nothing is buffered beyond the limits.
 *
 * <p>Why so little: the only clients are monitors, curl and Jolokia's own client, which send a
 * short GET or a POST of a few hundred bytes with its length. Chunked request bodies are refused
 * with {@code 411}, as RFC 9112 allows a server to.
 */
final class HttpRequest {
    /** Largest request line plus headers, in bytes. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    /** Most header lines. */
    static final int MAX_HEADERS = 64;
    /** Largest request body, in bytes. Jolokia parses a POST body whole, so it must be capped. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final String method;
    private final String target;
    private final boolean http10;
    private final Map<String, String> headers;
    private final byte[] body;

    private HttpRequest(String method, String target, boolean http10, Map<String, String> headers, byte[] body) {
        this.method = method;
        this.target = target;
        this.http10 = http10;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Reads the next request from a connection.
     *
     * @param out where to send {@code 100 Continue} when the client asks for it
     * @return the request, or null when the connection ended cleanly before its first byte
     * @throws Refused when the request breaks the protocol or a limit; answer it and close
     * @throws IOException when the connection fails or ends mid-request
     */
    static HttpRequest read(InputStream in, OutputStream out) throws IOException {
        Head head = new Head(in);
        String requestLine = head.line();
        if (requestLine != null && requestLine.isEmpty()) {
            requestLine = head.line(); // RFC 9112 section 2.2: one empty line before a request is ignored
        }
        if (requestLine == null) {
            return null;
        }
        int sp1 = requestLine.indexOf(' ');
        int sp2 = requestLine.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 == sp1) {
            throw new Refused(400, "malformed request line");
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = requestLine.substring(sp2 + 1);
        if (!isToken(method) || target.isEmpty() || target.charAt(0) != '/' || target.indexOf(' ') >= 0) {
            throw new Refused(400, "malformed request line");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new Refused(505, "only HTTP/1.0 and HTTP/1.1 are served");
        }
        Map<String, String> headers = new HashMap<>();
        for (String line = head.line(); !line.isEmpty(); line = head.line()) {
            if (headers.size() == MAX_HEADERS) {
                throw new Refused(431, "more than " + MAX_HEADERS + " headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new Refused(400, "malformed header line");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            String earlier = headers.putIfAbsent(name, value);
            if (earlier != null) {
                if (name.equals("content-length") || name.equals("host")) {
                    throw new Refused(400, "repeated " + name);
                }
                headers.put(name, earlier + ", " + value);
            }
        }
        if (version.equals("HTTP/1.1") && !headers.containsKey("host")) {
            throw new Refused(400, "HTTP/1.1 requests must have a Host header"); // RFC 9112 section 3.2
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new Refused(411, "request bodies must be sent with a Content-Length");
        }
        int length = contentLength(headers.get("content-length"));
        if (length > 0 && "100-continue".equalsIgnoreCase(headers.get("expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        byte[] body = new byte[length];
        for (int done = 0; done < length; ) {
            int n = head.in.read(body, done, length - done);
            if (n < 0) {
                throw new EOFException("request body ended after " + done + " of " + length + " bytes");
            }
            done += n;
        }
        return new HttpRequest(method, target, version.equals("HTTP/1.0"), headers, body);
    }

    private static int contentLength(String value) {
        if (value == null) {
            return 0;
        }
        if (value.isEmpty() || value.length() > 10) {
            throw new Refused(400, "malformed Content-Length");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new Refused(400, "malformed Content-Length");
            }
        }
        long length = Long.parseLong(value);
        if (length > MAX_BODY_BYTES) {
            throw new Refused(413, "request bodies are limited to " + MAX_BODY_BYTES + " bytes");
        }
        return (int) length;
    }

    /** RFC 9110 token: what a method or a header name may be made of. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    String method() {
        return method;
    }

    /** The request target as sent, e.g. {@code /jolokia/read/java.lang:type=Runtime/Uptime}. */
    String target() {
        return target;
    }

    /** A header's value by its name in lower case (repeated ones joined with ", "), or null. */
    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    byte[] body() {
        return body;
    }

    /** True for an HTTP/1.0 request. */
    boolean http10() {
        return http10;
    }

    /** Whether the client wants the connection kept for another request (RFC 9112 section 9.3). */
    boolean keepAlive() {
        String connection = headers.get("connection");
        String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        return http10 ? c.contains("keep-alive") : !c.contains("close");
    }

    /** A request refused for the reason and with the status given; the connection is then closed. */
    static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** Reads the head's lines, ISO-8859-1 as RFC 9112 says, counting against the head limit. */
    private static final class Head {
        private final InputStream in;
        private final StringBuilder line = new StringBuilder(128);
        private int read;

        Head(InputStream in) {
            this.in = in;
        }

        /**
         * The next line without its CRLF (a bare LF is accepted); null at end of stream before the
         * first byte of the request.
         */
        String line() throws IOException {
            line.setLength(0);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (read == 0) {
                        return null;
                    }
                    throw new EOFException("request head ended after " + read + " bytes");
                }
                if (++read > MAX_HEAD_BYTES) {
                    throw new Refused(431, "request head over " + MAX_HEAD_BYTES + " bytes");
                }
                if (b == '\n') {
                    int n = line.length();
                    if (n > 0 && line.charAt(n - 1) == '\r') {
                        line.setLength(n - 1);
                    }
                    return line.toString();
                }
                if (b == 0) {
                    throw new Refused(400, "NUL in request head");
                }
                if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                    // RFC 9112 section 2.2: a CR only ever ends a line; one inside it is refused.
                    throw new Refused(400, "bare CR in request head");
                }
                line.append((char) b);
            }
        }
    }
}
