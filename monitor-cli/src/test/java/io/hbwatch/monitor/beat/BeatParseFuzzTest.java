package io.hbwatch.monitor.beat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.protocol.JsonLine;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * The monitor's beat parser under whatever a peer sends: a beat whose numbers are in range, or a
 * protocol violation; never another exception, and a tracker fed with it never overflows.
 */
class BeatParseFuzzTest {
    @Property
    void anyLineIsABeatOrAViolation(@ForAll @Size(max = 600) String line) {
        parse(line);
    }

    @Property
    void anyNumbersAreInRangeOrAViolation(
            @ForAll long seq, @ForAll long time, @ForAll long interval, @ForAll long pause, @ForAll String subject) {
        String line = new JsonLine()
                .field("v", 1)
                .field("seq", seq)
                .field("time", time)
                .field("interval", interval)
                .field("subject", subject)
                .field("status", "UP")
                .field("pauseMaxMs", pause)
                .toJson();
        Beat b = parse(line);
        if (b != null) {
            assertTrue(b.intervalMs() > 0 && b.intervalMs() <= Beat.MAX_INTERVAL_MS);
            assertTrue(b.timeMs() >= 0);
            BeatTracker tracker = new BeatTracker("vm", null);
            tracker.beat(b, System.nanoTime());
            assertTrue(tracker.deadlineNanos() - System.nanoTime() > 0, "a deadline in the future, not overflowed");
        }
    }

    private static Beat parse(String line) {
        try {
            return Beat.parse(line);
        } catch (ProtocolViolation e) {
            return null;
        }
    }
}
