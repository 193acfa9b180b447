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

    @Test
    void linesSplitAcrossReadsAtAnyByteComeOutWhole() throws Exception {
        String longest = "y".repeat(Protocol.MAX_LINE_BYTES - 1);
        String text = "{\"a\":1}\r\n\n{\"b\":\"é\"}\n" + longest.substring(1) + "\r\n" + longest + "yy\nafter\nend";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        java.util.List<String> expected =
                java.util.List.of("{\"a\":1}", "", "{\"b\":\"é\"}", longest.substring(1), "violation", "after");
        // Every split of the stream in two reads, and the stream a byte at a time.
        for (int split = 0; split <= bytes.length; split++) {
            assertEquals(expected, fed(bytes, split, bytes.length), "split at byte " + split);
        }
        assertEquals(expected, fed(bytes, -1, 1), "a byte at a time");
    }

    /** What a fed reader gives: one read up to {@code split} and one after, or reads of {@code step}. */
    private static java.util.List<String> fed(byte[] bytes, int split, int step) {
        LineReader r = new LineReader();
        java.util.List<String> lines = new java.util.ArrayList<>();
        byte[] reused = new byte[bytes.length];
        int from = 0;
        while (from < bytes.length) {
            int to = split >= 0 ? (from < split ? split : bytes.length) : Math.min(bytes.length, from + step);
            // The caller's buffer is reused for every read: what the reader keeps must be its own copy.
            java.util.Arrays.fill(reused, (byte) '#');
            System.arraycopy(bytes, from, reused, from, to - from);
            r.offer(reused, from, to);
            while (true) {
                try {
                    String line = r.poll();
                    if (line == null) {
                        break;
                    }
                    lines.add(line);
                } catch (ProtocolViolation e) {
                    lines.add("violation");
                }
            }
            from = to;
        }
        return lines;
    }
}
