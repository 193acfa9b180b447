package io.hbwatch.monitor.beat;

import io.hbwatch.protocol.JsonParser;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.Map;

/**
 * One beat of the heartbeat stream as the monitor needs it. Immutable.
 *
 * @param seq counts up within one run of the agent
 * @param timeMs the agent's clock when it sent the beat (epoch ms), 0 when absent
 * @param intervalMs the announced interval, always positive
 * @param subject {@code vm}, {@code host}, {@code pid:1234} or {@code name:chrome}
 * @param reason null when absent
 * @param detail null when absent
 * @param instance identifies one run of the agent; null when absent
 * @param pid the agent's process id as text; null when absent
 * @param pauseMaxMs the longest JVM pause the agent measured since its last beat; -1 when absent
 */
public record Beat(
        long seq,
        long timeMs,
        long intervalMs,
        String subject,
        Status status,
        String reason,
        String detail,
        String instance,
        String pid,
        long pauseMaxMs) {
    /** Longest interval a beat may announce: a day. Longer ones would overflow deadlines. */
    public static final long MAX_INTERVAL_MS = 24 * 3_600_000L;
    /** Latest time a beat may carry, in ms since 1970: the year 6429, far from overflowing. */
    static final long MAX_TIME_MS = 1L << 47;

    /**
     * Parses one line of the stream.
     *
     * @throws ProtocolViolation for anything that is not a v1 beat, including the agent's {@code
     *     {"error":"..."}} line
     */
    public static Beat parse(String line) throws ProtocolViolation {
        Map<String, Object> o;
        try {
            o = JsonParser.parseObject(line);
        } catch (JsonParser.JsonException e) {
            throw new ProtocolViolation("not a heartbeat (" + e.getMessage() + "): " + excerpt(line));
        }
        if (o.get(Protocol.F_ERROR) != null) {
            String message = String.valueOf(o.get(Protocol.F_ERROR));
            throw Reason.AUTH.equals(o.get(Protocol.F_REASON))
                    ? ProtocolViolation.authFromAgent(message)
                    : ProtocolViolation.fromAgent(message);
        }
        Object v = o.get(Protocol.F_VERSION);
        if (v != null && !Long.valueOf(Protocol.VERSION).equals(v)) {
            throw new ProtocolViolation(
                    "protocol version " + v + ", but this monitor speaks version " + Protocol.VERSION);
        }
        long seq = number(o, Protocol.F_SEQ, true);
        long interval = number(o, Protocol.F_INTERVAL, true);
        if (seq < 0 || interval <= 0 || interval > MAX_INTERVAL_MS) {
            throw new ProtocolViolation("a beat with seq " + seq + " and interval " + interval
                    + " (an interval is 1 ms to " + MAX_INTERVAL_MS / 3_600_000 + " h)");
        }
        long time = number(o, Protocol.F_TIME, false);
        if (time < 0 || time > MAX_TIME_MS) {
            throw new ProtocolViolation("a beat with time " + time + ", not a time since 1970 in ms");
        }
        Object statusText = o.get(Protocol.F_STATUS);
        Status status = statusText instanceof String s ? Status.parse(s) : null;
        if (status == null) {
            throw new ProtocolViolation("a beat with status " + statusText + ", not UP, DEGRADED or DOWN");
        }
        Object pid = o.get(Protocol.F_PROCESS_ID);
        return new Beat(
                seq,
                time,
                interval,
                text(o, Protocol.F_SUBJECT, Protocol.SUBJECT_VM),
                status,
                text(o, Protocol.F_REASON, null),
                text(o, Protocol.F_DETAIL, null),
                text(o, Protocol.F_INSTANCE, null),
                pid == null ? null : String.valueOf(pid),
                o.get(Protocol.F_PAUSE_MAX_MS) instanceof Long n && n >= 0 && n <= MAX_TIME_MS ? n : -1);
    }

    private static long number(Map<String, Object> o, String field, boolean required) throws ProtocolViolation {
        Object value = o.get(field);
        if (value instanceof Long l) {
            return l;
        }
        if (value == null && !required) {
            return 0;
        }
        throw new ProtocolViolation(
                "a beat whose " + field + " is " + (value == null ? "missing" : "not a whole number"));
    }

    private static String text(Map<String, Object> o, String field, String absent) {
        Object value = o.get(field);
        return value == null ? absent : String.valueOf(value);
    }

    /** The start of a line, printable, for a detail: at most 40 characters. */
    static String excerpt(String line) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < line.length() && i < 40; i++) {
            char c = line.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.append(line.length() > 40 ? "...'" : "'").toString();
    }
}
