package io.hbwatch.agent.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpRequestTest {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private HttpRequest read(String raw) throws IOException {
        return HttpRequest.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), sent);
    }

    @Test
    void readsAGetWithItsHeaders() throws IOException {
        HttpRequest r = read("GET /jolokia/read/java.lang:type=Runtime/Uptime HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8778\r\nX-Twice: a\r\nx-twice: b\r\n\r\n");
        assertEquals("GET", r.method());
        assertEquals("/jolokia/read/java.lang:type=Runtime/Uptime", r.target());
        assertEquals("127.0.0.1:8778", r.header("host"));
        assertEquals("a, b", r.header("x-twice"));
        assertEquals(0, r.body().length);
        assertTrue(r.keepAlive());
    }

    @Test
    void readsAPostBodyByItsLengthAndLeavesTheNextRequestUnread() throws IOException {
        String body = "{\"type\":\"read\"}";
        ByteArrayInputStream in = new ByteArrayInputStream(
                ("POST /jolokia HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                                + "GET /jolokia/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        assertArrayEquals(
                body.getBytes(StandardCharsets.UTF_8),
                HttpRequest.read(in, sent).body());
        assertEquals("/jolokia/version", HttpRequest.read(in, sent).target());
        assertNull(HttpRequest.read(in, sent), "end of stream between requests is a clean end");
    }

    @Test
    void answersExpectContinueBeforeReadingTheBody() throws IOException {
        read("POST /jolokia HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}");
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", sent.toString(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @CsvSource({
        "HTTP/1.1, '', true",
        "HTTP/1.1, close, false",
        "HTTP/1.1, Keep-Alive, true",
        "HTTP/1.0, '', false",
        "HTTP/1.0, keep-alive, true",
    })
    void keepAliveFollowsVersionAndConnectionHeader(String version, String connection, boolean keep)
            throws IOException {
        String header = connection.isEmpty() ? "" : "Connection: " + connection + "\r\n";
        assertEquals(
                keep,
                read("GET /jolokia " + version + "\r\nHost: a\r\n" + header + "\r\n")
                        .keepAlive());
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GARBAGE|400",
                "GET|400",
                "GET  HTTP/1.1|400",
                "GET jolokia HTTP/1.1|400",
                "G{T /jolokia HTTP/1.1|400",
                "GET / HTTP/9.9|505",
                "GET / HTTP/1.1\\r\\nHost: a\\r\\nNo colon here|400",
                "GET / HTTP/1.1\\r\\nHost: a\\r\\nBad Name: x|400",
                "GET / HTTP/1.1\\r\\nHost: a\\r\\n folded: x|400",
                "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b|400",
                "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: -5|400",
                "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5x|400",
                "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1\\r\\nContent-Length: 2|400",
                "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 99999999999999999999|400",
                "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 65537|413",
                "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked|411",
                "GET /\u0000 HTTP/1.1|400",
                "GET / HTTP/1.1|400",
                "GET / HTTP/1.1\\r\\nHost: a\rb|400",
                "GET / HTTP/1.1\\r\\nHost: a\\r\\nX-A: 1\r\rx|400",
            })
    void refusesWhatBreaksTheProtocolWithTheStatusThatSaysWhy(String head, int status) {
        String raw = head.replace("\\r\\n", "\r\n") + "\r\n\r\n";
        HttpRequest.Refused e = assertThrows(HttpRequest.Refused.class, () -> read(raw));
        assertEquals(status, e.status(), e.getMessage());
    }

    @Test
    void aHeadOverTheLimitIsRefusedWithoutReadingOn() {
        String raw = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: " + "a".repeat(4 << 20) + "\r\n\r\n";
        CountingInput in = new CountingInput(raw.getBytes(StandardCharsets.ISO_8859_1));
        HttpRequest.Refused e = assertThrows(HttpRequest.Refused.class, () -> HttpRequest.read(in, sent));
        assertEquals(431, e.status());
        assertTrue(in.consumed() <= HttpRequest.MAX_HEAD_BYTES + 1, "read " + in.consumed());
    }

    @Test
    void tooManyHeadersAreRefused() {
        StringBuilder raw = new StringBuilder("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i <= HttpRequest.MAX_HEADERS; i++) {
            raw.append("X-").append(i).append(": 1\r\n");
        }
        HttpRequest.Refused e = assertThrows(
                HttpRequest.Refused.class, () -> read(raw.append("\r\n").toString()));
        assertEquals(431, e.status());
    }

    @Test
    void aBodyShorterThanItsLengthIsAnErrorNotARequest() {
        assertThrows(
                EOFException.class, () -> read("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{}"));
    }

    @Test
    void aHeadCutOffIsAnErrorNotARequest() {
        assertThrows(EOFException.class, () -> read("GET / HTTP/1.1\r\nHost: 127"));
    }

    @Test
    void oneEmptyLineBeforeTheRequestIsIgnored() throws IOException {
        assertEquals(
                "/jolokia",
                read("\r\nGET /jolokia HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").target());
        assertFalse(sent.size() > 0);
    }

    /** Counts what the parser took from the stream. */
    private static final class CountingInput extends ByteArrayInputStream {
        CountingInput(byte[] bytes) {
            super(bytes);
        }

        int consumed() {
            return pos;
        }
    }
}
