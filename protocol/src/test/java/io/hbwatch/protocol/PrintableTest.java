package io.hbwatch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void controlsSeparatorsAndBidiOverridesAreEscapedAndTheRestKept() {
        assertEquals("a\\u0000b\\u001b[2J\\u000ac", Printable.of("a\u0000b\u001b[2J\nc"));
        assertEquals("x\\u2028y\\u202ez\\u2066", Printable.of("x\u2028y\u202ez\u2066"));
        String plain = "Ünïcödé names, tabs none";
        assertSame(plain, Printable.of(plain));
        assertNull(Printable.of(null));
    }

    @Test
    void foldingTurnsOnlyNewlinesIntoSpaces() {
        assertEquals("one two\\u000dthree", Printable.of("one\ntwo\rthree", true));
    }
}
