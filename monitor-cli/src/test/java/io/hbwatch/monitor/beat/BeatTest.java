package io.hbwatch.monitor.beat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.protocol.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BeatTest {

    @Test
    void parsesAFullBeat() throws Exception {
        Beat b = Beat.parse("{\"v\":1,\"seq\":7,\"time\":1764176400123,\"interval\":200,\"subject\":\"pid:42\","
                + "\"status\":\"DOWN\",\"reason\":\"exited\",\"detail\":\"gone\",\"instance\":\"i-1\",\"pid\":4242,"
                + "\"pauseMaxMs\":2400,\"heapUsed\":12345}");
        assertEquals(new Beat(7, 1764176400123L, 200, "pid:42", Status.DOWN, "exited", "gone", "i-1", "4242", 2400), b);
    }

    @Test
    void readsThePauseUnderTheNameTheWatchdogWrites() throws Exception {
        Beat b = Beat.parse("{\"seq\":0,\"interval\":1000,\"status\":\"UP\",\""
                + io.hbwatch.protocol.Protocol.F_PAUSE_MAX_MS + "\":750}");
        assertEquals(750, b.pauseMaxMs());
    }

    @Test
    void numbersOutOfRangeAreViolationsNotOverflows() {
        for (String fields : new String[] {
            "\"seq\":1,\"interval\":3100000000000",
            "\"seq\":1,\"interval\":" + (Beat.MAX_INTERVAL_MS + 1),
            "\"seq\":1,\"interval\":1000,\"time\":-1",
            "\"seq\":1,\"interval\":1000,\"time\":9223372036854775807",
            "\"seq\":-5,\"interval\":1000",
        }) {
            assertThrows(ProtocolViolation.class, () -> Beat.parse("{" + fields + ",\"status\":\"UP\"}"), fields);
        }
    }

    @Test
    void optionalFieldsMayBeAbsent() throws Exception {
        Beat b = Beat.parse("{\"seq\":0,\"interval\":1000,\"status\":\"UP\"}");
        assertEquals("vm", b.subject());
        assertNull(b.instance());
        assertEquals(-1, b.pauseMaxMs());
    }

    @Test
    void fieldsItDoesNotReadAreSkippedAndOneThatComesTwiceCountsByItsLast() throws Exception {
        Beat b = Beat.parse("{\"seq\":1,\"heapUsed\":{\"a\":[1,2.5,true,null]},\"interval\":1000,"
                + "\"status\":\"DOWN\",\"error\":null,\"pid\":4242,\"seq\":2,\"status\":\"UP\"}");
        assertEquals(2, b.seq());
        assertEquals(Status.UP, b.status());
        assertEquals("4242", b.pid());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "hello | not a heartbeat",
                "{\"seq\":1 | not a heartbeat",
                "{\"v\":2,\"seq\":1,\"interval\":1000,\"status\":\"UP\"} | protocol version 2",
                "{\"interval\":1000,\"status\":\"UP\"} | seq is missing",
                "{\"seq\":\"1\",\"interval\":1000,\"status\":\"UP\"} | seq is not a whole number",
                "{\"seq\":1,\"interval\":0,\"status\":\"UP\"} | interval 0",
                "{\"seq\":1,\"interval\":1000,\"status\":\"FINE\"} | status FINE",
                "{\"error\":\"too many subscribers\"} | the agent answered: too many subscribers"
            })
    void refusesWhatIsNotAV1Beat(String line, String message) {
        ProtocolViolation e = assertThrows(ProtocolViolation.class, () -> Beat.parse(line));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void excerptsAreShortAndPrintable() {
        assertEquals("'a?b'", Beat.excerpt("a\u0001b"));
        assertEquals("'" + "x".repeat(40) + "...'", Beat.excerpt("x".repeat(100)));
    }
}
