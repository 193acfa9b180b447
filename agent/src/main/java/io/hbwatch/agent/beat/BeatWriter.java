package io.hbwatch.agent.beat;

import io.hbwatch.agent.util.Log;
import io.hbwatch.protocol.BeatSignature;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;

/**
 * Builds a feed's beat into its byte buffer: the fields every beat carries, then the subject's.
 * Reuses one {@link JsonLine} and the feed's array, so a beat allocates nothing here.
 *
 * <p>Not thread-safe: owned by the beat thread.
 */
final class BeatWriter {
    /** As large as a line may be, so that it never grows: a beat must not allocate. */
    private final JsonLine beat = new JsonLine(Protocol.MAX_LINE_BYTES);
    /** Room a subscriber's {@code ,"nonce":"..."} takes at most: 64 characters of nonce. */
    static final int NONCE_FIELD_BYTES = 12 + 64;

    private final String instance;
    private final long intervalMs;
    /** Signs each beat when a secret is set; null otherwise. */
    private BeatSignature signer;

    BeatWriter(String instance, long intervalMs) {
        this.instance = instance;
        this.intervalMs = intervalMs;
    }

    /** Signs every beat from now on with {@code secret}. */
    void signWith(byte[] secret) {
        signer = new BeatSignature(secret);
    }

    /** Whether beats are signed. */
    boolean signed() {
        return signer != null;
    }

    /** Whether {@code proof} shows the subscriber knows the secret ({@link BeatSignature#proof}). */
    boolean proves(String nonce, String pid, String proof) {
        return signer != null && signer.checkProof(nonce, pid, proof);
    }

    /**
     * Writes {@code feed}'s latest beat with the subscriber's {@code nonceField} added, signed for
     * it, and a newline, into {@code into}; returns the length.
     */
    int bind(Feed feed, byte[] nonceField, byte[] into) {
        int base = feed.unsignedLength - 1; // without its closing brace
        System.arraycopy(feed.line, 0, into, 0, base);
        System.arraycopy(nonceField, 0, into, base, nonceField.length);
        int n = base + nonceField.length;
        into[n++] = '}';
        n = signer.sign(into, n);
        into[n] = '\n';
        return n + 1;
    }

    /** Writes beat number {@code seq}, made at {@code timeMillis}, into {@code feed.line}. */
    void build(Feed feed, long seq, long timeMillis) {
        feed.builtNanos = System.nanoTime();
        beat.reset();
        common(feed, seq, timeMillis);
        try {
            feed.subject.writeTo(beat);
        } catch (RuntimeException e) {
            Log.debug("subject " + feed.subject.name() + " failed: " + Log.describe(e));
        }
        // Room for the newline, and for the signature and a subscriber's nonce when signed.
        int limit = feed.line.length - 1 - (signer == null ? 0 : BeatSignature.OVERHEAD_BYTES + NONCE_FIELD_BYTES);
        int n = beat.finish();
        if (n > limit) {
            // Only a misbehaving contributor can get here; the stream must stay within its limit.
            beat.reset();
            common(feed, seq, timeMillis);
            beat.field(Protocol.F_STATUS, "DEGRADED")
                    .field(Protocol.F_REASON, Reason.PROTOCOL)
                    .field(Protocol.F_DETAIL, "the beat grew past " + Protocol.MAX_LINE_BYTES + " bytes");
            n = beat.finish();
            if (n > limit) {
                // The common fields alone are too long: this feed cannot beat at all.
                throw new TooLong(feed.subject.name().length());
            }
        }
        seal(feed, n);
    }

    /**
     * Writes the last beat of {@code feed}: {@code DOWN}, reason {@code shutdown}, with {@code
     * detail}; the JVM's pid for the {@code vm} subject. Allocates: it runs once, at exit.
     */
    void buildFarewell(Feed feed, long seq, long timeMillis, String detail) {
        beat.reset();
        common(feed, seq, timeMillis);
        beat.field(Protocol.F_STATUS, "DOWN").field(Protocol.F_REASON, Reason.SHUTDOWN);
        beat.field(Protocol.F_DETAIL, detail.length() > 512 ? detail.substring(0, 512) : detail);
        if (feed.subject.name().equals(Protocol.SUBJECT_VM)) {
            beat.field(Protocol.F_PROCESS_ID, ProcessHandle.current().pid());
        }
        int n = beat.finish();
        seal(feed, n);
    }

    /** Copies the {@code n} bytes built into {@code feed.line}, signs them when signing, ends the line. */
    private void seal(Feed feed, int n) {
        beat.copyTo(feed.line);
        feed.unsignedLength = n;
        if (signer != null) {
            n = signer.sign(feed.line, n);
        }
        feed.line[n] = '\n';
        feed.length = n + 1;
    }

    private void common(Feed feed, long seq, long timeMillis) {
        beat.field(Protocol.F_VERSION, Protocol.VERSION)
                .field(Protocol.F_INSTANCE, instance)
                .field(Protocol.F_SEQ, seq)
                .field(Protocol.F_TIME, timeMillis)
                .field(Protocol.F_INTERVAL, intervalMs)
                .field(Protocol.F_SUBJECT, feed.subject.name());
    }

    /** A beat that cannot fit in a line even without the subject's own fields; its feed must end. */
    static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLong(int subjectChars) {
            super(
                    "the beat of a subject named with " + subjectChars + " characters does not fit in "
                            + Protocol.MAX_LINE_BYTES + " bytes",
                    null,
                    false,
                    false);
        }
    }
}
