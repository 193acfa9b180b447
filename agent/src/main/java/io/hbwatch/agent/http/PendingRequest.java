package io.hbwatch.agent.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of a connection's next request as they arrive on the selector, before any worker takes
 * it: a worker is given a connection only once {@link #complete()} says its request is whole (head
 * and {@code Content-Length} body), or broken beyond waiting for (then the parser refuses it with
 * its status). So a client that sends slowly, or half a request and then nothing, holds a buffer
 * and a file descriptor, never a worker.
 *
 * <p>The buffer starts small and grows to at most a head and a body at their limits. Bytes past
 * the request (a pipelined next one) are kept for it. Not thread-safe: the selector thread and then
 * the worker own it in turn.
 */
final class PendingRequest {
    /** Largest buffer: a head and a body at their limits, and a little of the next request. */
    static final int MAX_BYTES = HttpRequest.MAX_HEAD_BYTES + HttpRequest.MAX_BODY_BYTES + 1024;

    private static final int FIRST_BYTES = 1024;

    private byte[] buf = new byte[0];
    private int length;
    /** 100 Continue has been sent for the request in the buffer. */
    boolean continued;

    /** Room to read into, at least one byte unless the buffer is at its limit (then empty). */
    ByteBuffer room() {
        if (length == buf.length && buf.length < MAX_BYTES) {
            buf = Arrays.copyOf(buf, Math.min(MAX_BYTES, Math.max(FIRST_BYTES, buf.length * 2)));
        }
        return ByteBuffer.wrap(buf, length, buf.length - length);
    }

    /** Takes the bytes {@link #room()}'s buffer received. */
    void received(int n) {
        length += n;
    }

    int length() {
        return length;
    }

    byte[] bytes() {
        return buf;
    }

    /** Forgets the first {@code n} bytes: the request a worker has read. */
    void consumed(int n) {
        System.arraycopy(buf, n, buf, 0, length - n);
        length -= n;
        continued = false;
        if (length == 0 && buf.length > FIRST_BYTES) {
            buf = new byte[0]; // an idle kept connection holds no big buffer
        }
    }

    /**
     * Whether a worker should take it now: the head has ended and the body its {@code
     * Content-Length} names has arrived, or the bytes can never make a request the parser would
     * accept (a head past its limit, a body over its limit, a chunked body, a malformed length).
     */
    boolean complete() {
        int end = headEnd();
        if (end < 0) {
            return length >= HttpRequest.MAX_HEAD_BYTES || length == MAX_BYTES;
        }
        long body = contentLength(end);
        return body < 0 || body > HttpRequest.MAX_BODY_BYTES || length - end >= body;
    }

    /** Whether the head asks for {@code 100 Continue} before its body, which has not all come. */
    boolean wantsContinue() {
        int end = headEnd();
        return !continued
                && end >= 0
                && length - end < contentLength(end)
                && header(end, "expect:") != null
                && header(end, "expect:").trim().equalsIgnoreCase("100-continue");
    }

    /** Index just past the empty line that ends the head, or -1. */
    private int headEnd() {
        int limit = Math.min(length, HttpRequest.MAX_HEAD_BYTES);
        int start = 0;
        // One empty line before the request line is ignored (HttpRequest does so too).
        if (limit >= 2 && buf[0] == '\r' && buf[1] == '\n') {
            start = 2;
        } else if (limit >= 1 && buf[0] == '\n') {
            start = 1;
        }
        for (int i = start; i < limit; i++) {
            if (buf[i] == '\n') {
                if (i + 1 < limit && buf[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < limit && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** The Content-Length in the head (0 when absent), or -1 when the parser will refuse the head. */
    private long contentLength(int end) {
        if (header(end, "transfer-encoding:") != null) {
            return -1;
        }
        String value = header(end, "content-length:");
        if (value == null) {
            return 0;
        }
        value = value.trim();
        if (value.isEmpty() || value.length() > 10) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The value of the first header named {@code nameColon} (lower case, with its colon), or null. */
    private String header(int end, String nameColon) {
        for (int i = 0; i < end; i++) {
            if (buf[i] != '\n') {
                continue;
            }
            int from = i + 1;
            if (from + nameColon.length() <= end && startsWithIgnoreCase(from, nameColon)) {
                int to = from + nameColon.length();
                int eol = to;
                while (eol < end && buf[eol] != '\n' && buf[eol] != '\r') {
                    eol++;
                }
                return new String(buf, to, eol - to, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private boolean startsWithIgnoreCase(int from, String lowerName) {
        for (int k = 0; k < lowerName.length(); k++) {
            int b = buf[from + k];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerName.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
