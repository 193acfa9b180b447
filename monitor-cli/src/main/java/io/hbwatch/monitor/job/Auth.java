package io.hbwatch.monitor.job;

import io.hbwatch.monitor.beat.Beat;
import io.hbwatch.protocol.BeatSignature;

/**
 * What {@code --secret} checks in each beat: a signature made with the secret, a {@code seq} that
 * counts up on its connection (no replay within a stream), and with {@code --pid} the subject asked
 * for. It does not compare the beat's {@code time} with this host's clock: clocks of two hosts may
 * differ by more than any useful bound. Not thread-safe: the job's thread owns it.
 */
final class Auth {
    private final BeatSignature signature;
    private final String requiredSubject;

    /** @param requiredSubject the subject every beat must be about, or null for the agent's default */
    Auth(BeatSignature signature, String requiredSubject) {
        this.signature = signature;
        this.requiredSubject = requiredSubject;
    }

    /**
     * @param line the beat as received, without its newline
     * @param lastSeqHere the seq of the previous beat on this connection, -1 before the first
     * @return what is wrong, as a detail, or null when the beat is genuine
     */
    String problem(String line, Beat beat, long lastSeqHere) {
        if (!line.contains("\"" + BeatSignature.FIELD + "\":")) {
            return "an unsigned beat (seq " + beat.seq() + "): the agent has no secret, or this is not the agent";
        }
        if (!signature.verify(line)) {
            return "a beat (seq " + beat.seq() + ") whose signature does not match: another secret, or an altered beat";
        }
        if (lastSeqHere >= 0 && beat.seq() <= lastSeqHere) {
            return "a replayed beat: seq " + beat.seq() + " after seq " + lastSeqHere + " on this connection";
        }
        if (requiredSubject != null && !requiredSubject.equals(beat.subject())) {
            return "a signed beat about " + beat.subject() + ", not the " + requiredSubject + " asked for";
        }
        return null;
    }
}
