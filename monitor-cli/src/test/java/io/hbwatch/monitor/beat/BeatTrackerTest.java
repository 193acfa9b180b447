package io.hbwatch.monitor.beat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The heartbeat state machine, driven with made-up times (ms since the start, as nanos). */
class BeatTrackerTest {
    private static final long MS = 1_000_000;

    private static Beat up(long seq, long timeMs, long intervalMs, String instance, String pid) {
        return new Beat(seq, timeMs, intervalMs, "vm", Status.UP, null, null, instance, pid, -1);
    }

    @Test
    void timeoutIsThreeAnnouncedIntervalsAndThreeSecondsBeforeTheFirstBeat() {
        BeatTracker t = new BeatTracker("vm", null);
        assertEquals(Duration.ofSeconds(3), t.timeout());
        t.connected(0);
        assertEquals(3000 * MS, t.deadlineNanos());
        t.beat(up(1, 1000, 100, "a", "1"), 10 * MS);
        assertEquals(Duration.ofMillis(300), t.timeout());
        assertEquals(310 * MS, t.deadlineNanos());
    }

    @Test
    void aGivenTimeoutWins() {
        BeatTracker t = new BeatTracker("vm", Duration.ofMillis(750));
        t.connected(0);
        t.beat(up(1, 1000, 100, "a", "1"), 0);
        assertEquals(Duration.ofMillis(750), t.timeout());
    }

    @Test
    void silenceThenContinuousSeqIsAPauseWithNoBeatsLost() {
        BeatTracker t = new BeatTracker("vm", null);
        t.connected(0);
        Check first = t.beat(up(1, 10_000, 100, "a", "1"), 0);
        assertEquals("first beat: seq 1, every 100 ms", first.detail());
        Check down = t.silence(300 * MS);
        assertEquals(Status.DOWN, down.state());
        assertEquals("timeout", down.reason());
        assertTrue(down.detail().startsWith("no heartbeat for 300 ms"), down.detail());
        assertEquals(600 * MS, t.deadlineNanos(), "the next silence is one timeout later");
        Check back = t.beat(up(2, 12_500, 100, "a", "1"), 2500 * MS);
        assertEquals(Status.UP, back.state());
        assertNull(back.reason());
        assertEquals(
                "beats resumed after 2.5 s of silence: the agent did not say whether its JVM paused, no beats lost",
                back.detail());
        assertFalse(back.notable());
    }

    @Test
    void thePauseTheAgentMeasuredWins() {
        BeatTracker t = new BeatTracker("vm", null);
        t.connected(0);
        t.beat(up(1, 10_000, 100, "a", "1"), 0);
        t.silence(300 * MS);
        Beat resumed = new Beat(2, 12_500, 100, "vm", Status.UP, null, null, "a", "1", 2450);
        assertEquals(
                "beats resumed after 2.5 s of silence: the agent measured a pause of 2.5 s, no beats lost",
                t.beat(resumed, 2500 * MS).detail());
    }

    @Test
    void theAgentsOwnPauseFindingLeadsAndThePauseDiagnosisFollows() {
        BeatTracker t = new BeatTracker("vm", null);
        t.connected(0);
        t.beat(up(1, 10_000, 100, "a", "1"), 0);
        t.silence(300 * MS);
        Beat degraded =
                new Beat(2, 11_600, 100, "vm", Status.DEGRADED, "pause", "the JVM paused 1.5 s", "a", "1", 1500);
        Check c = t.beat(degraded, 1600 * MS);
        assertEquals(Status.DEGRADED, c.state());
        assertEquals("pause", c.reason());
        assertEquals("the JVM paused 1.5 s; beats resumed after 1.6 s of silence, no beats lost", c.detail());
    }

    @Test
    void aSeqJumpAfterSilenceCountsLostBeats() {
        BeatTracker t = new BeatTracker("vm", null);
        t.connected(0);
        t.beat(up(1, 10_000, 100, "a", "1"), 0);
        t.silence(300 * MS);
        assertEquals(
                "beats resumed after 1.0 s of silence: the agent did not say whether its JVM paused, 9 beats lost "
                        + "(seq 1 to 11)",
                t.beat(up(11, 11_000, 100, "a", "1"), 1000 * MS).detail());
    }

    @Test
    void anotherInstanceIsARestartEvenWithoutADownInBetween() {
        BeatTracker t = new BeatTracker("vm", null);
        t.connected(0);
        t.beat(up(500, 10_000, 100, "a", "1"), 0);
        t.disconnected("closed", "the stream ended");
        t.connected(10 * MS);
        Check c = t.beat(up(1, 10_100, 100, "b", "2"), 20 * MS);
        assertTrue(c.notable());
        assertEquals("restarted: a new process (pid 1 -> 2)", c.detail());
    }

    @Test
    void seqGoingBackIsARestartWhenBeatsCarryNoIdentity() {
        BeatTracker t = new BeatTracker("vm", null);
        t.connected(0);
        t.beat(up(500, 0, 100, null, null), 0);
        t.connected(10 * MS);
        assertEquals(
                "restarted: seq went back from 500 to 1",
                t.beat(up(1, 0, 100, null, null), 20 * MS).detail());
    }

    @Test
    void theSameInstanceAfterAReconnectIsNoRestart() {
        BeatTracker t = new BeatTracker("vm", null);
        t.connected(0);
        t.beat(up(5, 0, 100, "a", "1"), 0);
        t.disconnected("closed", "the stream ended");
        t.connected(10 * MS);
        Check c = t.beat(up(9, 0, 100, "a", "1"), 20 * MS);
        assertFalse(c.notable());
        assertEquals("reconnected: seq 9", c.detail());
    }

    @Test
    void silenceBeforeTheFirstBeatSaysConnected() {
        BeatTracker t = new BeatTracker("pid:42", null);
        t.connected(0);
        Check c = t.silence(3000 * MS);
        assertEquals("pid:42", c.subject());
        assertEquals("connected, but no heartbeat for 3000 ms", c.detail());
    }

    @Test
    void theSubjectsOwnDownIsPassedOnWithItsReason() {
        BeatTracker t = new BeatTracker("name:sleep", null);
        t.connected(0);
        Beat gone = new Beat(3, 0, 200, "name:sleep", Status.DOWN, "exited", null, "a", "1", -1);
        Check c = t.beat(gone, 0);
        assertEquals(Status.DOWN, c.state());
        assertEquals("exited", c.reason());
        assertEquals("the agent reports DOWN (exited)", c.detail());
    }

    @Test
    void beatsHeldUpOnTheWayAreNoEvidenceOfLifeNow() {
        BeatTracker t = new BeatTracker("vm", null);
        t.connected(0);
        t.beat(up(1, 10_000, 100, "a", "1"), 0);
        t.beat(up(2, 10_100, 100, "a", "1"), 100 * MS);
        t.silence(400 * MS);
        // A healed partition: the agent's kernel delivers what it kept, sent a minute ago, in a burst.
        assertNull(t.beat(up(3, 10_200, 100, "a", "1"), 60_000 * MS), "a stale beat ends no silence");
        assertNull(t.beat(up(4, 10_300, 100, "a", "1"), 60_001 * MS));
        assertEquals("timeout", t.silence(t.deadlineNanos()).reason(), "still silent");
        // A beat sent now, with the usual lag, ends it.
        Check back = t.beat(up(600, 70_000, 100, "a", "1"), 60_050 * MS);
        assertEquals(Status.UP, back.state());
        assertTrue(back.detail().startsWith("beats resumed after 60.0 s of silence"), back.detail());
    }

    @Test
    void theAgentsClockSteppingBackAtAnEvenPaceIsNotStaleness() {
        BeatTracker t = new BeatTracker("vm", null);
        t.connected(0);
        for (int k = 1; k <= 10; k++) {
            long time = 10_000 + k * 100 - (k > 5 ? 10_000 : 0); // an NTP step back of 10 s after beat 5
            Check c = t.beat(up(k, time, 100, "a", "1"), k * 100 * MS);
            assertEquals(Status.UP, c.state(), "beat " + k);
        }
    }
}
