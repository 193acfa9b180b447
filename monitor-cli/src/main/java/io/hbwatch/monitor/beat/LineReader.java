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
 */
public final class LineReader {
    private final InputStream in;
    private final byte[] line = new byte[Protocol.MAX_LINE_BYTES];
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
            byte b = chunk[pos++];
            if (b == '\n') {
                if (skipping) {
                    skipping = false;
                    continue;
                }
                int n = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                length = 0;
                return decode(n);
            }
            if (skipping) {
                continue;
            }
            // The cap counts the newline: at most MAX_LINE_BYTES - 1 bytes before it.
            if (length == line.length - 1) {
                length = 0;
                skipping = true;
                throw new ProtocolViolation("a line longer than " + Protocol.MAX_LINE_BYTES + " bytes");
            }
            line[length++] = b;
        }
        return null;
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

    private String decode(int n) throws ProtocolViolation {
        try {
            return utf8.decode(ByteBuffer.wrap(line, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolViolation("a line that is not UTF-8");
        }
    }
}
