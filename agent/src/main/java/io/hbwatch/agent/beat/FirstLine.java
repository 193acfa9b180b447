package io.hbwatch.agent.beat;

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
        String t = line.trim();
        if (t.isEmpty()) {
            return null;
        }
        Map<String, Object> json;
        try {
            json = JsonParser.parseObject(t);
        } catch (JsonParser.JsonException e) {
            throw new IllegalArgumentException("first line is not a JSON object: " + e.getMessage());
        }
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
