package io.hbwatch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsTest {
    @Test
    void defaults() {
        Options o = Options.parse();
        assertEquals(8080, o.port);
        assertEquals("127.0.0.1", o.host);
        assertEquals(2, o.workers);
        assertEquals(0, o.loadPerSecond);
        assertNull(o.urlFile);
    }

    @Test
    void everyOption() {
        Options o = Options.parse(
                "--port", "0", "--host", "0.0.0.0", "--workers", "3", "--load", "5", "--url-file", "/tmp/u");
        assertEquals(0, o.port);
        assertEquals("0.0.0.0", o.host);
        assertEquals(3, o.workers);
        assertEquals(5, o.loadPerSecond);
        assertEquals("/tmp/u", o.urlFile);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--port|banana|--port: 'banana' is not a number from 0 to 65535",
                "--port|65536|--port: '65536' is not a number from 0 to 65535",
                "--workers|0|--workers: '0' is not a number from 1 to 256",
                "--load|-1|--load: '-1' is not a number from 0 to 1000",
                "--colour|red|unknown option '--colour'",
            })
    void badValuesNameTheOption(String name, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse(name, value));
        assertEquals(message, e.getMessage());
    }

    @Test
    void missingValueIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse("--port"));
        assertEquals("--port needs a value", e.getMessage());
    }

    @Test
    void help() {
        assertTrue(Options.parse("--help").help);
    }
}
