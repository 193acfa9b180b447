package io.hbwatch.monitor.job;

import io.hbwatch.monitor.beat.Beat;
import io.hbwatch.protocol.BeatSignature;
import io.hbwatch.protocol.Protocol;

/**
 * What {@code --secret} checks in each beat: a signature made with the secret, over a line that
 * carries this connection's nonce (no replay of another connection's beats), a {@code seq} that
 * counts up on its connection (no replay within a stream), and the subject asked for ({@code vm}
 * or {@code host} without {@code --pid}). It does not compare the beat's {@code time} with this host's clock: clocks of two hosts may
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
    String problem(String line, Beat beat, long lastSeqHere, String nonce) {
        if (!line.contains("\"" + BeatSignature.FIELD + "\":")) {
            return "an unsigned beat (seq " + beat.seq() + "): the agent has no secret, or this is not the agent";
        }
        if (!signature.verify(line)) {
            return "a beat (seq " + beat.seq() + ") whose signature does not match: another secret, or an altered beat";
        }
        if (lastSeqHere >= 0 && beat.seq() <= lastSeqHere) {
            return "a replayed beat: seq " + beat.seq() + " after seq " + lastSeqHere + " on this connection";
        }
        if (nonce != null && !line.contains("\"" + Protocol.F_NONCE + "\":\"" + nonce + "\"")) {
            return "a signed beat (seq " + beat.seq() + ") not bound to this connection's nonce: a recording"
                    + " of another connection, or an agent older than this monitor";
        }
        if (requiredSubject != null
                ? !requiredSubject.equals(beat.subject())
                : !Protocol.SUBJECT_VM.equals(beat.subject()) && !Protocol.SUBJECT_HOST.equals(beat.subject())) {
            return "a signed beat about " + beat.subject() + ", not the "
                    + (requiredSubject != null ? requiredSubject : "JVM or host") + " asked for";
        }
        return null;
    }
}
