package io.hbwatch.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hbwatch.agent.util.Words;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ThreadDumpsTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0 ms",
        "850, 850 ms",
        "999, 999 ms",
        "1000, 1 s",
        "1049, 1.0 s",
        "1050, 1.1 s",
        "1496, 1.5 s",
        "2400, 2.4 s",
        "9949, 9.9 s",
        "9960, 10.0 s",
        "10000, 10 s",
        "12345, 12 s"
    })
    void secondsReadAsPeopleWriteThem(long ms, String text) {
        assertEquals(text, Words.seconds(ms));
    }

    /** Written by hand to keep the JDK's formatter out of the host: it must agree with it. */
    @ParameterizedTest
    @ValueSource(longs = {1001, 1049, 1050, 1051, 1149, 1150, 1950, 5555, 9949, 9950, 9999})
    void tenthsRoundAsStringFormatDoes(long ms) {
        assertEquals(String.format(Locale.ROOT, "%.1f s", ms / 1000.0), Words.seconds(ms));
    }
}
