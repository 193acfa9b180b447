package io.hbwatch.monitor.event;

import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Status;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One line of the monitor's output, with the fields the contract fixes under "Monitor events".
 * Immutable.
 *
 * @param reason null when the state is UP (the field is then left out of the JSON)
 * @param flapping true while the job's state flaps (and on the event that starts it), false on the
 *     event that ends it, null otherwise (the field is then left out)
 */
public record Event(
        Instant time,
        String job,
        String target,
        String subject,
        Status state,
        String reason,
        String detail,
        Boolean flapping) {
    /** An event outside any flapping. */
    public Event(Instant time, String job, String target, String subject, Status state, String reason, String detail) {
        this(time, job, target, subject, state, reason, detail, null);
    }

    /** Always three decimals, as the contract's example shows (Instant.toString drops zeros). */
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** The time as the JSON line writes it: UTC with milliseconds, {@code 2026-11-26T17:00:00.123Z}. */
    public String timeText() {
        return UTC_MILLIS.format(time);
    }

    /**
     * The contract's JSON line, without a newline: {@code
     * {"time":"2026-11-26T17:00:00.123Z","job":"hb","target":"127.0.0.1:7777","subject":"vm","state":"DOWN","reason":"timeout","detail":"no heartbeat for 612 ms"}}.
     */
    public String toJson() {
        JsonLine json = new JsonLine()
                .field("time", timeText())
                .field("job", job)
                .field("target", target)
                .field("subject", subject)
                .field("state", state.name());
        if (reason != null) {
            json.field("reason", reason);
        }
        json.field("detail", detail);
        if (flapping != null) {
            json.field("flapping", flapping.booleanValue());
        }
        return json.toJson();
    }
}
