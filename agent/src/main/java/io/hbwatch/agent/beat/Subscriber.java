package io.hbwatch.agent.beat;

import io.hbwatch.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One connection to the beat server and where it stands: waiting for its first line, receiving
 * beats, or closing after an error line. Used only on the beat thread.
 */
final class Subscriber {
    enum State {
        /** Connected; its first line (or the first-line timeout) picks the subject. */
        PENDING,
        /** Receives the beats of {@link #feed}. */
        ACTIVE,
        /** Was sent an error line; its input is drained until EOF or {@link #deadlineNanos}. */
        CLOSING,
        /** Closed and forgotten. */
        CLOSED
    }

    final SocketChannel channel;
    final SelectionKey key;
    State state = State.PENDING;
    /** PENDING: when the first line is due; CLOSING: when the connection is closed regardless. */
    long deadlineNanos;
    /** The first line as it arrives; null once the subject is known. */
    ByteBuffer in = ByteBuffer.allocate(Protocol.MAX_LINE_BYTES);
    /** Bytes not yet taken by the socket, in write mode; null while PENDING. */
    ByteBuffer out;

    Feed feed;
    /**
     * {@code ,"nonce":"..."} as UTF-8 when its beats are signed and bound to its nonce (each beat
     * is then signed for it alone); null otherwise.
     */
    byte[] nonceField;
    /** Bytes read and thrown away after the first line (or after the error line). */
    int discardedBytes;

    Subscriber(SocketChannel channel, SelectionKey key, long deadlineNanos) {
        this.channel = channel;
        this.key = key;
        this.deadlineNanos = deadlineNanos;
    }
}
