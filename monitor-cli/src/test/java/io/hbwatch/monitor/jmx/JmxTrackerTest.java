package io.hbwatch.monitor.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Status;
import org.junit.jupiter.api.Test;

class JmxTrackerTest {
    private static final long MS = 1_000_000L;

    private static HeartbeatReading reading(String status, long seq, String instance, String echo) {
        return new HeartbeatReading(
                status, status.equals("UP") ? null : "deadlock", "two threads", seq, 100, instance, echo, 2 * MS);
    }

    @Test
    void upWhenTheNonceEchoesAndSequenceAdvances() {
        JmxTracker t = new JmxTracker(1000);
        Check c = t.reading(reading("UP", 5, "a", "n1"), "n1", 0);
        assertEquals(Status.UP, c.state());
        assertNull(c.reason());
        assertEquals(2 * MS, c.rttNanos());
        assertTrue(c.detail().contains("Sequence 5"), c.detail());
        assertEquals(
                Status.UP,
                t.reading(reading("UP", 6, "a", "n2"), "n2", 100 * MS).state());
    }

    @Test
    void anIntervalThatWouldOverflowCountsAsAbsent() {
        JmxTracker t = new JmxTracker(1000);
        HeartbeatReading huge = new HeartbeatReading("UP", null, null, 5, Long.MAX_VALUE / 2, "a", "n", 2 * MS);
        assertEquals(Status.UP, t.reading(huge, "n", 0).state());
        // Still at the same Sequence 200 ms later: three of the fallback's 1 s intervals have not passed.
        assertEquals(Status.UP, t.reading(huge, "n", 200 * MS).state());
        assertEquals(Status.DOWN, t.reading(huge, "n", 3_100 * MS).state());
    }

    @Test
    void aWrongEchoIsDownProtocol() {
        Check c = new JmxTracker(1000).reading(reading("UP", 5, "a", "other"), "n1", 0);
        assertEquals(Status.DOWN, c.state());
        assertEquals("protocol", c.reason());
    }

    @Test
    void theMBeansOwnStatusIsPassedOn() {
        JmxTracker t = new JmxTracker(1000);
        Check degraded = t.reading(reading("DEGRADED", 5, "a", "n"), "n", 0);
        assertEquals(Status.DEGRADED, degraded.state());
        assertEquals("deadlock", degraded.reason());
        assertTrue(degraded.detail().startsWith("the MBean says DEGRADED: two threads"), degraded.detail());
        assertEquals(
                Status.DOWN,
                t.reading(reading("DOWN", 6, "a", "n"), "n", 100 * MS).state());
    }

    @Test
    void aSequenceStillForThreeBeatIntervalsIsAStall() {
        JmxTracker t = new JmxTracker(1000);
        assertEquals(Status.UP, t.reading(reading("UP", 5, "a", "n"), "n", 0).state());
        assertEquals(
                Status.UP, t.reading(reading("UP", 5, "a", "n"), "n", 299 * MS).state());
        Check stuck = t.reading(reading("UP", 5, "a", "n"), "n", 300 * MS);
        assertEquals(Status.DOWN, stuck.state());
        assertEquals("stall", stuck.reason());
        assertTrue(stuck.detail().startsWith("Sequence stuck at 5 for 300 ms (3 beat intervals)"), stuck.detail());
        assertEquals(
                Status.UP, t.reading(reading("UP", 6, "a", "n"), "n", 400 * MS).state());
    }

    @Test
    void theMonitorsOwnStallIsNotTheBeatThreadsAndTheStillTimeStartsAgainAfterIt() {
        JmxTracker t = new JmxTracker(1000);
        // The monitor stopped from 50 ms to 5,000 ms; the answer read at 5,010 ms was sent before it.
        JmxTracker.OwnStall stopped = (from, now) -> from < 5_000 * MS && now > 50 * MS ? 5_000 * MS : Long.MIN_VALUE;
        assertEquals(
                Status.UP,
                t.reading(reading("UP", 5, "a", "n"), "n", 0, stopped).state());
        Check stale = t.reading(reading("UP", 5, "a", "n"), "n", 5_010 * MS, stopped);
        assertEquals(Status.UP, stale.state(), stale.detail());
        // Without the stall the same answer is a stuck beat thread.
        JmxTracker plain = new JmxTracker(1000);
        plain.reading(reading("UP", 5, "a", "n"), "n", 0);
        assertEquals(
                "stall",
                plain.reading(reading("UP", 5, "a", "n"), "n", 5_010 * MS).reason());
        // Still at 5 three intervals after the stall's end: stuck after all.
        assertEquals(
                Status.UP,
                t.reading(reading("UP", 5, "a", "n"), "n", 5_299 * MS, stopped).state());
        assertEquals(
                "stall",
                t.reading(reading("UP", 5, "a", "n"), "n", 5_300 * MS, stopped).reason());
    }

    @Test
    void afterAFailedCheckTheStillTimeStartsAgain() {
        JmxTracker t = new JmxTracker(1000);
        t.reading(reading("UP", 5, "a", "n"), "n", 0);
        t.failed(); // a pause: no answers for a while
        assertEquals(
                Status.UP, t.reading(reading("UP", 5, "a", "n"), "n", 5000 * MS).state());
        assertEquals(
                "stall", t.reading(reading("UP", 5, "a", "n"), "n", 5300 * MS).reason());
    }

    @Test
    void aNewInstanceOrASequenceGoingBackIsARestart() {
        JmxTracker t = new JmxTracker(1000);
        assertFalse(t.reading(reading("UP", 50, "a", "n"), "n", 0).notable());
        Check restarted = t.reading(reading("UP", 2, "b", "n"), "n", 100 * MS);
        assertTrue(restarted.notable());
        assertEquals(Status.UP, restarted.state());
        assertTrue(restarted.detail().startsWith("restarted (Sequence 2 after 50)"), restarted.detail());
    }

    @Test
    void theFallbackIsUpWhileUptimeAnswersAndNotesARestart() {
        JmxTracker t = new JmxTracker(1000);
        assertEquals(Status.UP, t.uptime(10_000, MS).state());
        assertFalse(t.uptime(11_000, MS).notable());
        Check restarted = t.uptime(300, MS);
        assertTrue(restarted.notable());
        assertTrue(restarted.detail().startsWith("restarted"), restarted.detail());
    }

    @Test
    void withoutAnIntervalFromTheMBeanTheMonitorsIsUsed() {
        JmxTracker t = new JmxTracker(200);
        HeartbeatReading r = new HeartbeatReading("UP", null, null, 1, -1, null, "n", MS);
        t.reading(r, "n", 0);
        assertEquals(Status.UP, t.reading(r, "n", 599 * MS).state());
        assertEquals("stall", t.reading(r, "n", 600 * MS).reason());
    }
}
