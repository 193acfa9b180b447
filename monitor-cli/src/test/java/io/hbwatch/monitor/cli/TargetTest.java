package io.hbwatch.monitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:7777, 127.0.0.1, 7777",
        "localhost:1, localhost, 1",
        "[::1]:7777, ::1, 7777",
        "db-1.example.com:65535, db-1.example.com, 65535",
        "10.0.0.5, 10.0.0.5, -1",
        "[fe80::1%eth0], fe80::1%eth0, -1"
    })
    void parses(String text, String host, int port) {
        Target t = Target.parse(text);
        assertEquals(host, t.host());
        assertEquals(port, t.port());
        assertEquals(text, t.toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ":7777",
                "host:",
                "host:0",
                "host:65536",
                "host:http",
                "::1:7777",
                "[::1",
                "[::1]7777",
                "a b:1",
                "host:7777:1"
            })
    void refusesWithOneLine(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.parse(text));
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "250ms, 250",
        "2s, 2000",
        "1.5s, 1500",
        "1m, 60000",
        "0.5ms, 0",
        " 3S , 3000",
        "1h, 3600000",
        "2h, 7200000"
    })
    void durations(String text, long ms) {
        assertEquals(ms, Converters.duration(text).toMillis());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "banana", "-1s", "1d", "1e3ms", "25h", "1441m"})
    void badDurations(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Converters.duration(text));
        assertEquals(true, e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void subMillisecondDurationsKeepTheirNanos() {
        assertEquals(Duration.ofNanos(500_000), Converters.duration("0.5ms"));
    }
}
