package io.hbwatch.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PauseSamplerTest {
    private static final long MS = 1_000_000L;
    private static final long WINDOW = 1000 * MS;

    @Test
    void aPauseStaysInTheWindowItEndedInAndTheNext() {
        PauseSampler s = new PauseSampler(1000, 1000, 50);
        long base = 1_000_000 * WINDOW;
        s.record(30 * MS, base + 100 * MS);
        s.record(2400 * MS, base + 900 * MS);
        s.record(5 * MS, base + WINDOW + 200 * MS);
        assertEquals(2400 * MS, s.windowMaxNanos(base + 950 * MS));
        assertEquals(2400 * MS, s.windowMaxNanos(base + WINDOW + 999 * MS), "the next window still shows it");
        assertEquals(5 * MS, s.windowMaxNanos(base + 2 * WINDOW + 500 * MS), "gone two windows on");
        assertEquals(0, s.windowMaxNanos(base + 3 * WINDOW + 500 * MS), "nothing since");
        s.record(7 * MS, base + 3 * WINDOW);
        assertEquals(7 * MS, s.windowMaxNanos(base + 3 * WINDOW + 1));
        assertEquals(2400, s.totalMaxMs());
    }

    @Test
    void aWindowWithNoSamplesForgetsOlderOnes() {
        PauseSampler s = new PauseSampler(1000, 1000, 50);
        s.record(1500 * MS, 10 * WINDOW);
        s.record(1 * MS, 15 * WINDOW); // the sampler was away for 5 windows: the old ones are gone
        assertEquals(1 * MS, s.windowMaxNanos(15 * WINDOW + 1));
    }

    @Test
    void aPausePastTheWarningStaysUntilABeatHasCarriedIt() throws Exception {
        PauseSampler s = new PauseSampler(1000, 1000, 50);
        s.record(1500 * MS, System.nanoTime() - 10 * WINDOW); // long out of the window
        assertEquals(Reason.PAUSE, s.current().reason(), "no beat has reported it yet");
        Map<String, Object> beat = JsonParser.parseObject(write(s));
        assertEquals(1500L, ((Number) beat.get("pauseMaxMs")).longValue());
        assertNull(s.current(), "reported once, and out of its window");
        assertEquals(0L, ((Number) JsonParser.parseObject(write(s)).get("pauseMaxMs")).longValue());
    }

    @Test
    void beatsShowingTheSamePauseShareOneFinding() {
        PauseSampler s = new PauseSampler(1000, 1000, 200);
        s.record(1500 * MS, System.nanoTime());
        Finding first = s.current();
        assertSame(first, s.current(), "no new finding (and text) per beat while the pause is shown");
        s.record(2500 * MS, System.nanoTime());
        Finding longer = s.current();
        assertNotSame(first, longer);
        assertEquals("the JVM paused 2.5 s (threads were not scheduled)", longer.detail());
    }

    @Test
    void negativeNanoTimesWork() {
        PauseSampler s = new PauseSampler(1000, 1000, 50);
        s.record(1200 * MS, -3 * WINDOW - 1);
        assertEquals(1200 * MS, s.windowMaxNanos(-3 * WINDOW + 10));
    }

    @Test
    void belowTheWarningThereIsNoFindingButFiguresAreWritten() throws Exception {
        PauseSampler s = new PauseSampler(60_000, 0, 50);
        s.record(3000 * MS, System.nanoTime());
        assertNull(s.current(), "pauseWarn=off");
        Map<String, Object> beat = JsonParser.parseObject(write(s));
        assertEquals(3000L, ((Number) beat.get("pauseMaxMs")).longValue());
        assertEquals(3000L, ((Number) beat.get("pauseMaxTotalMs")).longValue());
    }

    @Test
    void aPauseLongerThanTheWarningIsAFinding() {
        PauseSampler s = new PauseSampler(60_000, 1000, 50);
        s.record(999 * MS, System.nanoTime());
        assertNull(s.current());
        s.record(2400 * MS, System.nanoTime());
        Finding f = s.current();
        assertEquals(Status.DEGRADED, f.status());
        assertEquals(Reason.PAUSE, f.reason());
        assertEquals("the JVM paused 2.4 s (threads were not scheduled)", f.detail());
    }

    @Test
    void aLateWakeUpIsAPauseUnlessTheCollectionsInItsWaitExplainIt() {
        AtomicLong gcNanos = new AtomicLong();
        PauseSampler s = new PauseSampler(1000, 1000, 1000, gcNanos::get);
        long now = System.nanoTime();
        s.woke(0, now);
        s.woke(400_000L, now); // timer slack: under a millisecond is no figure at all
        assertEquals(0, s.totalMaxMs());
        gcNanos.addAndGet(2400 * MS);
        s.woke(2450 * MS, now); // a full collection stopped the JVM while the beat thread slept
        assertEquals(0, s.totalMaxMs(), "the collection's, named gc by GcLoad");
        assertNull(s.current());
        s.woke(1700 * MS, now); // no collection in this wait: a SIGSTOP, say
        assertEquals(1700, s.totalMaxMs());
        assertEquals(
                "the JVM paused 1.7 s (threads were not scheduled)", s.current().detail());
        gcNanos.addAndGet(20 * MS);
        s.woke(3000 * MS, now); // a SIGSTOP during a young collection is still a pause
        assertEquals(3000, s.totalMaxMs());
    }

    @Test
    void theFirstWakeUpOnlyStartsTheCollectorsClock() {
        PauseSampler s = new PauseSampler(1000, 1000, 1000);
        s.woke(5000 * MS, System.nanoTime()); // nothing to compare the collections with yet
        assertEquals(0, s.totalMaxMs());
        s.woke(1500 * MS, System.nanoTime()); // the real collectors' clock, read on this thread
        assertEquals(1500, s.totalMaxMs());
    }

    private static String write(PauseSampler s) {
        JsonLine line = new JsonLine();
        s.writeTo(line);
        return line.toJson();
    }

    @Test
    void lateWakeUpsThatCollectionsExplainAreTheirs() {
        assertTrue(PauseSampler.explainedByGc(2400 * MS, 2400 * MS), "a collection of the same length");
        assertTrue(PauseSampler.explainedByGc(2490 * MS, 2400 * MS), "and the time to reach its safepoint");
        assertFalse(PauseSampler.explainedByGc(2600 * MS, 2400 * MS), "more than a collection's slack");
        assertFalse(PauseSampler.explainedByGc(2500 * MS, 50 * MS), "a SIGSTOP during a young collection");
        assertFalse(PauseSampler.explainedByGc(30 * MS, 0), "no collection at all");
    }

    @Test
    void collectionsAreInTheFiguresButNoFinding() {
        PauseSampler s = new PauseSampler(1000, 1000, 200);
        s.recordGc(2400 * MS, System.nanoTime());
        assertNull(s.current(), "a collection is reported as gc, not as a pause");
        assertTrue(s.windowMaxMs() >= 2400, "the figures still show it");
        assertEquals(2400, s.totalMaxMs());
    }
}
