package io.hbwatch.agent.beat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FirstLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\r", "{}", "{\"other\":1}", " { } "})
    void askingForNothingMeansTheDefaultSubject(String line) {
        assertNull(FirstLine.requestedProcess(line));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"pid\":\"1234\"}|1234",
                "{\"pid\":1234}|1234",
                "{\"pid\":\"chrome\"}|chrome",
                "{\"pid\":\"chrome\",\"future\":true}|chrome",
                "{\"pid\":\"chrome\"}\r|chrome"
            })
    void aProcessByPidOrName(String line, String expected) {
        assertEquals(expected, FirstLine.requestedProcess(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "{", "{\"pid\":[1]}", "{\"pid\":1.5}", "{\"pid\":true}", "\"pid\""})
    void anythingElseIsRefused(String line) {
        assertThrows(IllegalArgumentException.class, () -> FirstLine.requestedProcess(line));
    }
}
