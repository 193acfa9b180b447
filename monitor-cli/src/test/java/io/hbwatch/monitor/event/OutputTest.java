package io.hbwatch.monitor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.cli.Format;
import io.hbwatch.protocol.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutputTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Event down =
            new Event(Instant.parse("2026-11-26T17:00:00.123Z"), "hb", "h:1", "vm", Status.DOWN, "timeout", "silent");

    @Test
    void textIsOneLineWithJobTargetSubjectStateReasonAndDetail() {
        new Output(Format.text, false, new PrintWriter(out), new PrintWriter(err)).event(down, true);
        assertTrue(
                out.toString()
                        .matches(
                                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.123[+-]\\d\\d:\\d\\d hb h:1 vm DOWN \\(timeout\\): silent\\R"),
                out::toString);
    }

    @Test
    void colorOnlyWhenAsked() {
        new Output(Format.text, true, new PrintWriter(out), new PrintWriter(err)).event(down, true);
        assertTrue(out.toString().contains("\u001b[1;31mDOWN\u001b[0m"), out::toString);
    }

    @Test
    void jsonNeverCarriesColorAndNotesGoToStderr() {
        Output o = new Output(Format.json, true, new PrintWriter(out), new PrintWriter(err));
        o.event(down, true);
        o.note("PING h");
        assertEquals(down.toJson() + System.lineSeparator(), out.toString());
        assertEquals("PING h" + System.lineSeparator(), err.toString());
    }
}
