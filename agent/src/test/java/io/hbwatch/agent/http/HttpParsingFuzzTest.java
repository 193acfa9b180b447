package io.hbwatch.agent.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The request parser and the selector's request reader under arbitrary input: they refuse, they
 * never throw anything else, never read past their limits, and agree on where a request ends.
 */
class HttpParsingFuzzTest {
    @Property
    void anyBytesAreARequestARefusalOrTheEnd(@ForAll @Size(max = 4096) byte[] bytes) {
        parse(bytes);
    }

    @Property
    void nearlyValidRequestsAreParsedOrRefused(@ForAll("nearlyValid") String request) {
        parse(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Property
    void theSelectorsReaderNeverThrowsAndCompletesWhatTheParserReads(@ForAll("nearlyValid") String request) {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        PendingRequest pending = new PendingRequest();
        int given = 0;
        while (given < bytes.length && !pending.complete()) {
            ByteBuffer room = pending.room();
            int n = Math.min(room.remaining(), Math.min(7, bytes.length - given));
            if (n == 0) {
                break;
            }
            room.put(bytes, given, n);
            pending.received(n);
            given += n;
            pending.wantsContinue();
        }
        assertTrue(pending.length() <= PendingRequest.MAX_BYTES);
        if (pending.complete()) {
            // What the selector hands on, the parser reads to an answer or a refusal, never an EOF.
            try {
                HttpRequest.read(
                        new ByteArrayInputStream(pending.bytes(), 0, pending.length()),
                        OutputStream.nullOutputStream());
            } catch (HttpRequest.Refused e) {
                assertTrue(e.status() >= 400 && e.status() < 600);
            } catch (IOException e) {
                throw new AssertionError("a request handed on whole could not be read: " + e, e);
            }
        }
    }

    @Property
    void bulkCountingNeverThrows(@ForAll @Size(max = 2048) byte[] bytes) {
        assertTrue(BulkCount.of(bytes) >= 0);
    }

    @Provide
    Arbitrary<String> nearlyValid() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "HEAD", "OPTIONS", "G{T", "");
        Arbitrary<String> target = Arbitraries.of("/jolokia", "/jolokia/version", "/", "*", "/a b", "");
        Arbitrary<String> version = Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/2", "");
        Arbitrary<String> eol = Arbitraries.of("\r\n", "\n", "\r", "\r\r\n");
        Arbitrary<String> header = Arbitraries.oneOf(
                Arbitraries.of(
                        "Host: 127.0.0.1",
                        "Content-Length: 2",
                        "Content-Length: 99999999999",
                        "Content-Length: -1",
                        "Transfer-Encoding: chunked",
                        "Expect: 100-continue",
                        "Connection: close",
                        " folded",
                        "X-Nul: \u0000"),
                Arbitraries.strings().ofMaxLength(40).map(s -> "X-" + s + ": " + s));
        Arbitrary<String> headers = header.list().ofMaxSize(8).flatMap(hs -> eol.map(e -> String.join(e, hs) + e));
        Arbitrary<String> body = Arbitraries.of("", "{}", "[{\"type\":\"version\"}]", "x".repeat(100));
        return net.jqwik.api.Combinators.combine(method, target, version, eol, headers, body)
                .as((m, t, v, e, h, b) -> m + " " + t + " " + v + e + h + e + b);
    }

    private static void parse(byte[] bytes) {
        CountingInput in = new CountingInput(bytes);
        try {
            HttpRequest.read(in, OutputStream.nullOutputStream());
        } catch (HttpRequest.Refused e) {
            assertTrue(e.status() >= 400 && e.status() < 600, e.status() + " " + e.getMessage());
        } catch (IOException e) {
            // the end of the stream in the middle of a request: the connection is closed
        }
        assertTrue(in.consumed() <= HttpRequest.MAX_HEAD_BYTES + HttpRequest.MAX_BODY_BYTES);
    }

    private static final class CountingInput extends ByteArrayInputStream {
        CountingInput(byte[] bytes) {
            super(bytes);
        }

        int consumed() {
            return pos;
        }
    }
}
