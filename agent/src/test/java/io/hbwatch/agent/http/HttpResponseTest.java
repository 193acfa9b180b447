package io.hbwatch.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HttpResponseTest {
    @Test
    void datesAreImfFixdates() {
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpResponse.httpDateOf(0));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpResponse.httpDateOf(784111777)); // RFC 9110's example
        DateTimeFormatter imf = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC);
        for (long t = 0; t < 4_000_000_000L; t += 86_400L * 37 + 3_661) {
            assertEquals(imf.format(Instant.ofEpochSecond(t)), HttpResponse.httpDateOf(t));
        }
    }

    @Test
    void aResponseIsOnePieceWithItsLengthAndDate() {
        byte[] body = "{\"status\":200}".getBytes(StandardCharsets.UTF_8);
        String r = new String(
                HttpResponse.of(200, "text/plain; charset=utf-8", body)
                        .header("Cache-Control", "no-cache")
                        .bytes(true, false),
                StandardCharsets.ISO_8859_1);
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\nDate: "), r);
        assertTrue(r.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"), r);
        assertTrue(r.contains("\r\nCache-Control: no-cache\r\n"), r);
        assertTrue(r.endsWith("\r\nContent-Length: " + body.length + "\r\n\r\n{\"status\":200}"), r);
        assertFalse(r.contains("Connection:"), r);
    }

    @Test
    void anEndingConnectionSaysSoAndHeadGetsNoBody() {
        String r = new String(HttpResponse.text(405, null).bytes(false, true), StandardCharsets.ISO_8859_1);
        assertTrue(r.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), r);
        assertTrue(r.endsWith("\r\nConnection: close\r\n\r\n"), r);
        assertTrue(r.contains("Content-Length: " + "405 (Method Not Allowed)\n".length() + "\r\n"), r);
    }

    @Test
    void noContentHasNoLength() {
        String r = new String(HttpResponse.empty(204).bytes(true, false), StandardCharsets.ISO_8859_1);
        assertTrue(r.startsWith("HTTP/1.1 204 No Content\r\n"), r);
        assertFalse(r.contains("Content-Length"), r);
    }

    @Test
    void textAnswersNameTheStatusAndTheReason() {
        String r = new String(HttpResponse.text(403, "Host not allowed").bytes(true, false), StandardCharsets.UTF_8);
        assertTrue(r.endsWith("\r\n\r\n403 (Forbidden)\n\nHost not allowed\n"), r);
    }
}
