package io.hbwatch.agent.http;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer of the agent's Jolokia, turned into bytes in one piece ({@link #bytes}) so that it
 * leaves in one TCP write: a keep-alive client then never waits for a delayed ACK (the 40 ms
 * Nagle stall), and TCP_NODELAY is set on the agent's own sockets, no one else's.
 *
 * <p>Dates are written by hand ({@link #httpDate}): the fixed English names of RFC 9110 need no
 * locale data, whereas a formatter pattern with a zone name ({@code zzz}, as the JDK's HTTP server
 * and Jolokia's handler use) loads the JDK's locale and time-zone name tables into the host, several
 * MiB for one header.
 */
final class HttpResponse {
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;

    private HttpResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    /** A response with a body of that type. */
    static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, contentType, body);
    }

    /** A plain-text answer such as {@code 403 (Forbidden)}, with the reason on its own line. */
    static HttpResponse text(int status, String reason) {
        String text = status + " (" + phrase(status) + ")\n" + (reason == null ? "" : "\n" + reason + "\n");
        return new HttpResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** An answer without a body. */
    static HttpResponse empty(int status) {
        return new HttpResponse(status, null, new byte[0]);
    }

    /** Sets a header; the last value set wins. Returns this. */
    HttpResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    /**
     * The whole response: status line, headers (with {@code Date}, {@code Content-Length} and, when
     * not kept, {@code Connection: close}) and body.
     *
     * @param head true for an answer to HEAD: headers only
     */
    byte[] bytes(boolean keepAlive, boolean head) {
        StringBuilder b = new StringBuilder(256);
        b.append("HTTP/1.1 ").append(status).append(' ').append(phrase(status)).append("\r\n");
        b.append("Date: ").append(httpDate(0)).append("\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (status >= 200 && status != 204) { // RFC 9110 8.6: none on 1xx and 204
            b.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (!keepAlive) {
            b.append("Connection: close\r\n");
        }
        b.append("\r\n");
        byte[] top = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (head || body.length == 0) {
            return top;
        }
        byte[] all = new byte[top.length + body.length];
        System.arraycopy(top, 0, all, 0, top.length);
        System.arraycopy(body, 0, all, top.length, body.length);
        return all;
    }

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    /** The IMF-fixdate of now plus {@code offsetSeconds}, e.g. {@code Thu, 26 Nov 2026 22:00:00 GMT}. */
    static String httpDate(long offsetSeconds) {
        return httpDateOf(System.currentTimeMillis() / 1000 + offsetSeconds);
    }

    /** The IMF-fixdate (RFC 9110 section 5.6.7) of that many seconds since the epoch. */
    static String httpDateOf(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(29);
        b.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        two(b, t.getDayOfMonth())
                .append(' ')
                .append(MONTHS[t.getMonthValue() - 1])
                .append(' ');
        b.append(t.getYear()).append(' ');
        two(b, t.getHour()).append(':');
        two(b, t.getMinute()).append(':');
        return two(b, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /** The reason phrase of the statuses this server sends. */
    static String phrase(int status) {
        switch (status) {
            case 100:
                return "Continue";
            case 200:
                return "OK";
            case 204:
                return "No Content";
            case 400:
                return "Bad Request";
            case 401:
                return "Unauthorized";
            case 403:
                return "Forbidden";
            case 404:
                return "Not Found";
            case 405:
                return "Method Not Allowed";
            case 411:
                return "Length Required";
            case 413:
                return "Content Too Large";
            case 431:
                return "Request Header Fields Too Large";
            case 500:
                return "Internal Server Error";
            case 503:
                return "Service Unavailable";
            case 505:
                return "HTTP Version Not Supported";
            default:
                return "Status";
        }
    }
}
