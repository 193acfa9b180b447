package io.hbwatch.monitor.beat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hbwatch.protocol.Protocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static LineReader reader(String text) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void splitsLinesAndDropsCarriageReturns() throws Exception {
        LineReader r = reader("{\"a\":1}\r\n{\"b\":\"é\"}\npartial");
        assertEquals("{\"a\":1}", r.readLine());
        assertEquals("{\"b\":\"é\"}", r.readLine());
        assertNull(r.readLine(), "a last line without newline is not a line");
    }

    @Test
    void theCapCountsTheNewline() throws Exception {
        String longest = "x".repeat(Protocol.MAX_LINE_BYTES - 1);
        assertEquals(longest, reader(longest + "\n").readLine());
        LineReader r = reader(longest + "x\nnext\n");
        ProtocolViolation e = assertThrows(ProtocolViolation.class, r::readLine);
        assertEquals("a line longer than 4096 bytes", e.getMessage());
        assertEquals("next", r.readLine(), "the rest of the long line is skipped");
    }

    @Test
    void neverBuffersMoreThanTheCap() throws Exception {
        // An endless stream without a newline: the reader must give up after the cap, not run out of memory.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        assertThrows(ProtocolViolation.class, () -> new LineReader(endless).readLine());
    }

    @Test
    void invalidUtf8IsAViolation() throws IOException {
        LineReader r = new LineReader(new ByteArrayInputStream(new byte[] {'{', (byte) 0xC3, '}', '\n'}));
        assertThrows(ProtocolViolation.class, r::readLine);
    }

    @Test
    void pollNeedsAFillFirst() throws Exception {
        LineReader r = reader("a\n");
        assertNull(r.poll());
        assertEquals(true, r.fill());
        assertEquals("a", r.poll());
        assertEquals(false, r.fill());
    }
}
