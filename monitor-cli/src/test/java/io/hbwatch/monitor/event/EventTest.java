package io.hbwatch.monitor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hbwatch.protocol.Status;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTest {

    @Test
    void jsonIsTheContractsLine() {
        Event e = new Event(
                Instant.parse("2026-11-26T17:00:00.123Z"),
                "hb",
                "127.0.0.1:7777",
                "vm",
                Status.DOWN,
                "timeout",
                "no heartbeat for 612 ms");
        assertEquals(
                "{\"time\":\"2026-11-26T17:00:00.123Z\",\"job\":\"hb\",\"target\":\"127.0.0.1:7777\",\"subject\":\"vm\","
                        + "\"state\":\"DOWN\",\"reason\":\"timeout\",\"detail\":\"no heartbeat for 612 ms\"}",
                e.toJson());
    }

    @Test
    void wholeSecondsKeepTheirMillisAndUpHasNoReason() {
        Event e = new Event(Instant.parse("2026-11-26T17:00:00Z"), "ping", "h", "host", Status.UP, null, "echo \"1\"");
        assertEquals(
                "{\"time\":\"2026-11-26T17:00:00.000Z\",\"job\":\"ping\",\"target\":\"h\",\"subject\":\"host\","
                        + "\"state\":\"UP\",\"detail\":\"echo \\\"1\\\"\"}",
                e.toJson());
    }
}
