package io.hbwatch.agent.beat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.subject.Subject;
import io.hbwatch.agent.subject.Subjects;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * A client's first line, whatever it holds: a subject or one error, and a subject's beat always fits
 * in its line, so that nothing a client sends can stop the beat.
 */
class FirstLineFuzzTest {
    @Property
    void anyLineIsASubjectOrAnError(@ForAll @Size(max = 300) String line) {
        check(line);
    }

    @Property
    void anyNameIsASubjectWhoseNameFitsOrAnError(@ForAll @Size(max = 5000) String name) {
        check("{\"pid\":" + JsonLine.quote(name) + "}");
    }

    private static void check(String line) {
        String asked;
        try {
            asked = FirstLine.requestedProcess(line);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (asked == null) {
            return;
        }
        Subject subject;
        try {
            subject = Subjects.process(asked);
        } catch (IllegalArgumentException e) {
            return;
        }
        // The name goes into every beat, and into a detail: together far below the line limit.
        int quoted = JsonLine.quote(subject.name()).getBytes(StandardCharsets.UTF_8).length;
        assertTrue(
                3 * quoted < Protocol.MAX_LINE_BYTES,
                quoted + " bytes for " + subject.name().length() + " chars");
    }
}
