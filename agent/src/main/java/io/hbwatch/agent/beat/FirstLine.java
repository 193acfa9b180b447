package io.hbwatch.agent.beat;

import io.hbwatch.protocol.BeatSignature;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads a client's optional first line: {@code {"pid":"1234"}}, {@code {"pid":1234}} or {@code
 * {"pid":"chrome"}} asks for an OS process; an empty line or {@code {}} asks for the default
 * subject at once, without waiting for the first-line timeout. Unknown fields are ignored, so that
 * later protocol versions can add some.
 */
final class FirstLine {
    private FirstLine() {}

    /**
     * The first line in {@code in} (bytes {@code [0, position)}), decoded, without its newline; or
     * {@code null} while no newline has arrived.
     */
    static String lineIn(ByteBuffer in) {
        for (int i = 0; i < in.position(); i++) {
            if (in.get(i) == '\n') {
                return new String(in.array(), in.arrayOffset(), i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * @param line the line without its newline (a trailing {@code \r} is allowed)
     * @return the PID or process name asked for, or {@code null} for the default subject
     * @throws IllegalArgumentException with a message fit for an error line
     */
    static String requestedProcess(String line) {
        return parse(line).process;
    }

    /** What a first line asks: a process (or null), and with a secret the nonce and the proof. */
    static final class Request {
        static final Request DEFAULT = new Request(null, null, null);

        final String process;
        final String nonce;
        final String proof;

        Request(String process, String nonce, String proof) {
            this.process = process;
            this.nonce = nonce;
            this.proof = proof;
        }
    }

    /**
     * @param line the line without its newline (a trailing {@code \r} is allowed)
     * @throws IllegalArgumentException with a message fit for an error line
     */
    static Request parse(String line) {
        String t = line.trim();
        if (t.isEmpty()) {
            return Request.DEFAULT;
        }
        Map<String, Object> json;
        try {
            json = JsonParser.parseObject(t);
        } catch (JsonParser.JsonException e) {
            throw new IllegalArgumentException("first line is not a JSON object: " + e.getMessage());
        }
        Object nonce = json.get(Protocol.F_NONCE);
        if (nonce != null && !(nonce instanceof String && BeatSignature.validNonce((String) nonce))) {
            throw new IllegalArgumentException("nonce must be 16 to 64 letters, digits, '-' or '_'");
        }
        Object proof = json.get(Protocol.F_PROOF);
        return new Request(process(json), (String) nonce, proof instanceof String ? (String) proof : null);
    }

    private static String process(Map<String, Object> json) {
        Object pid = json.get(Protocol.F_PID);
        if (pid == null) {
            return null;
        }
        if (pid instanceof String) {
            return (String) pid;
        }
        if (pid instanceof Long) {
            if ((Long) pid <= 0) {
                throw new IllegalArgumentException("pid must be a positive number");
            }
            return pid.toString();
        }
        throw new IllegalArgumentException("pid must be a process id or a process name, as a string");
    }
}
