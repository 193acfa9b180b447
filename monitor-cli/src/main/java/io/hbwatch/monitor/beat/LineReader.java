package io.hbwatch.monitor.beat;

import io.hbwatch.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the lines of the heartbeat stream with the protocol's cap enforced while reading: never
 * more than {@link Protocol#MAX_LINE_BYTES} are buffered, whatever the peer sends.
 *
 * <p>A read that times out ({@link SocketTimeoutException}) loses nothing: the partial line is kept
 * and the next call goes on with it. Not thread-safe.
 *
 * <p>A line that arrives whole in one read is decoded where it lies; only a line split across reads
 * is copied, into a buffer that grows to what such lines have needed. A reader that is fed (one per
 * heartbeat stream of a monitor watching thousands) thus holds no line buffer until a line comes
 * split, and then one as long as that line, not the cap.
 */
public final class LineReader {
    private final InputStream in;
    /** The start of a line whose end has not been read yet: {@code length} bytes. */
    private byte[] line = new byte[0];

    private byte[] chunk;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int length;
    private int pos;
    private int limit;
    private boolean skipping;

    public LineReader(InputStream in) {
        this.in = in;
        this.chunk = new byte[Protocol.MAX_LINE_BYTES];
    }

    /** A reader fed by {@link #offer} (non-blocking I/O) instead of a stream. */
    public LineReader() {
        this.in = null;
        this.chunk = new byte[0];
    }

    /**
     * Hands over bytes read elsewhere; {@link #poll()} then returns their lines. The array is only
     * read, and only until {@link #poll()} has returned null, so a caller may reuse one buffer for
     * every reader it feeds.
     */
    public void offer(byte[] bytes, int from, int to) {
        chunk = bytes;
        pos = from;
        limit = to;
    }

    /**
     * Returns the next complete line from the bytes read so far, without its line end, or null when
     * more bytes are needed ({@link #fill()}).
     *
     * @throws ProtocolViolation for a line longer than the cap (the rest of it is skipped) or one
     *     that is not UTF-8
     */
    public String poll() throws ProtocolViolation {
        while (pos < limit) {
            int newline = indexOfNewline(chunk, pos, limit);
            int end = newline < 0 ? limit : newline;
            if (skipping) {
                pos = newline < 0 ? limit : newline + 1;
                skipping = newline < 0;
                continue;
            }
            int n = end - pos;
            // The cap counts the newline: at most MAX_LINE_BYTES - 1 bytes before it.
            if (length + n > Protocol.MAX_LINE_BYTES - 1) {
                length = 0;
                skipping = true;
                pos = end; // the newline, if read, ends the skipping
                throw new ProtocolViolation("a line longer than " + Protocol.MAX_LINE_BYTES + " bytes");
            }
            if (newline < 0) {
                keep(chunk, pos, n);
                pos = limit;
                return null;
            }
            int from = pos;
            pos = newline + 1;
            if (length == 0) {
                return decode(chunk, from, n > 0 && chunk[newline - 1] == '\r' ? n - 1 : n);
            }
            keep(chunk, from, n);
            int whole = length;
            length = 0;
            return decode(line, 0, line[whole - 1] == '\r' ? whole - 1 : whole);
        }
        return null;
    }

    private static int indexOfNewline(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Appends {@code n} bytes of a line still to be ended; never past the cap, which was checked. */
    private void keep(byte[] bytes, int from, int n) {
        if (length + n > line.length) {
            line = java.util.Arrays.copyOf(
                    line, Math.min(Protocol.MAX_LINE_BYTES, Math.max(length + n, 2 * line.length)));
        }
        System.arraycopy(bytes, from, line, length, n);
        length += n;
    }

    /**
     * Reads once from the stream (one blocking read, so that a caller's deadline holds even against a
     * peer that drips one byte at a time).
     *
     * @return false when the stream has ended
     * @throws SocketTimeoutException when no byte came within the socket's timeout; nothing is lost
     */
    public boolean fill() throws IOException {
        int n = in.read(chunk);
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    /** Blocks for the next line; null when the stream ends first (a partial last line is dropped). */
    public String readLine() throws IOException, ProtocolViolation {
        String l;
        while ((l = poll()) == null) {
            if (!fill()) {
                return null;
            }
        }
        return l;
    }

    private String decode(byte[] bytes, int from, int n) throws ProtocolViolation {
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, from, n)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolViolation("a line that is not UTF-8");
        }
    }
}
