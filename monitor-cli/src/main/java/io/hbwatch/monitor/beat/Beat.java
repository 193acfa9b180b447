package io.hbwatch.monitor.beat;

import io.hbwatch.protocol.JsonParser;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;

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
        // Field by field into locals, not into a map: the monitor parses every beat of every stream.
        Fields o = new Fields();
        try {
            JsonParser.parseFields(line, o);
        } catch (JsonParser.JsonException e) {
            throw new ProtocolViolation("not a heartbeat (" + e.getMessage() + "): " + excerpt(line));
        }
        if (o.error != null) {
            String message = String.valueOf(o.error);
            throw Reason.AUTH.equals(o.reason)
                    ? ProtocolViolation.authFromAgent(message)
                    : ProtocolViolation.fromAgent(message);
        }
        Object v = o.version;
        if (v != null && !Long.valueOf(Protocol.VERSION).equals(v)) {
            throw new ProtocolViolation(
                    "protocol version " + v + ", but this monitor speaks version " + Protocol.VERSION);
        }
        long seq = number(o.seq, Protocol.F_SEQ, true);
        long interval = number(o.interval, Protocol.F_INTERVAL, true);
        if (seq < 0 || interval <= 0 || interval > MAX_INTERVAL_MS) {
            throw new ProtocolViolation("a beat with seq " + seq + " and interval " + interval
                    + " (an interval is 1 ms to " + MAX_INTERVAL_MS / 3_600_000 + " h)");
        }
        long time = number(o.time, Protocol.F_TIME, false);
        if (time < 0 || time > MAX_TIME_MS) {
            throw new ProtocolViolation("a beat with time " + time + ", not a time since 1970 in ms");
        }
        Object statusText = o.status;
        Status status = statusText instanceof String s ? Status.parse(s) : null;
        if (status == null) {
            throw new ProtocolViolation("a beat with status " + statusText + ", not UP, DEGRADED or DOWN");
        }
        return new Beat(
                seq,
                time,
                interval,
                text(o.subject, Protocol.SUBJECT_VM),
                status,
                text(o.reason, null),
                text(o.detail, null),
                text(o.instance, null),
                text(o.pid, null),
                o.pauseMaxMs instanceof Long n && n >= 0 && n <= MAX_TIME_MS ? n : -1);
    }

    private static long number(Object value, String field, boolean required) throws ProtocolViolation {
        if (value instanceof Long l) {
            return l;
        }
        if (value == null && !required) {
            return 0;
        }
        throw new ProtocolViolation(
                "a beat whose " + field + " is " + (value == null ? "missing" : "not a whole number"));
    }

    private static String text(Object value, String absent) {
        return value == null ? absent : String.valueOf(value);
    }

    /** The fields of one line that a beat is made of; the last of a name that comes twice counts, as in a map. */
    private static final class Fields implements JsonParser.Fields {
        Object error;
        Object version;
        Object seq;
        Object time;
        Object interval;
        Object subject;
        Object status;
        Object reason;
        Object detail;
        Object instance;
        Object pid;
        Object pauseMaxMs;

        @Override
        public void field(String name, Object value) {
            switch (name) {
                case Protocol.F_ERROR -> error = value;
                case Protocol.F_VERSION -> version = value;
                case Protocol.F_SEQ -> seq = value;
                case Protocol.F_TIME -> time = value;
                case Protocol.F_INTERVAL -> interval = value;
                case Protocol.F_SUBJECT -> subject = value;
                case Protocol.F_STATUS -> status = value;
                case Protocol.F_REASON -> reason = value;
                case Protocol.F_DETAIL -> detail = value;
                case Protocol.F_INSTANCE -> instance = value;
                case Protocol.F_PROCESS_ID -> pid = value;
                case Protocol.F_PAUSE_MAX_MS -> pauseMaxMs = value;
                default -> {
                    // a field this monitor does not read: the agent's figures, a newer agent's additions
                }
            }
        }
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
