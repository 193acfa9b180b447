package io.hbwatch.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Reason;
import org.junit.jupiter.api.Test;

class GcLoadTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1000 * MS;

    @Test
    void theShareCountsCollectionsInsideTheWindowOnly() {
        GcLoad load = new GcLoad(10_000, 50, 0, 1000);
        long t = 1_000 * S;
        // 30 collections of 200 ms each, one every 300 ms: 6 s of 9 s, the rest 1 s before
        for (int i = 0; i < 30; i++) {
            load.collected("G1 Young Generation", "G1 Evacuation Pause", 200 * MS, t + i * 300 * MS);
        }
        long end = t + 29 * 300 * MS;
        load.evaluate(end);
        assertEquals(60, load.percent());
        Finding f = load.current();
        assertEquals(Reason.GC, f.reason());
        assertEquals(
                "the JVM spent 60% of the last 10 s in garbage collection (30 collections, the longest 200 ms,"
                        + " G1 Young Generation)",
                f.detail());
        load.evaluate(end + 5 * S); // 17 of them are still in the window: 3.4 s of 10
        assertEquals(34, load.percent());
        assertNull(load.current());
    }

    @Test
    void aCollectionThatBeganBeforeTheWindowCountsOnlyItsPartInside() {
        GcLoad load = new GcLoad(10_000, 50, 0, 1000);
        load.collected("MarkSweepCompact", "Allocation Failure", 8 * S, 100 * S);
        load.evaluate(108 * S); // the window is 98 s to 108 s: the collection's last 2 s are inside
        assertEquals(20, load.percent());
    }

    @Test
    void busyYoungCollectionsAreNoSpiral() {
        GcLoad load = new GcLoad(10_000, 50, 0, 1000);
        long t = 500 * S;
        for (int i = 0; i < 500; i++) {
            load.collected("G1 Young Generation", "G1 Evacuation Pause", 2 * MS, t + i * 20 * MS);
        }
        load.evaluate(t + 500 * 20 * MS); // the first ends on the window's edge: 499 of 2 ms in 10 s
        assertEquals(9, load.percent());
        assertNull(load.current());
    }

    @Test
    void aLongCollectionIsNamedUntilABeatCarriedItAndItIsOld() {
        GcLoad load = new GcLoad(10_000, 50, 1000, 1000);
        long t = System.nanoTime();
        load.collected("G1 Old Generation", "Allocation Failure", 2800 * MS, t);
        Finding f = load.current();
        assertEquals(
                "a garbage collection stopped the JVM for 2.8 s (G1 Old Generation, cause: Allocation Failure)",
                f.detail());
        load.evaluate(t + 10 * S);
        assertSame(f, load.current(), "no beat has carried it yet");
        load.writeTo(new JsonLine());
        load.evaluate(t + 11 * S);
        assertNull(load.current());
    }

    @Test
    void offNeverWarnsButStillMeasures() {
        GcLoad load = new GcLoad(1000, 0, 0, 1000);
        load.collected("x", "y", 900 * MS, 10 * S);
        load.evaluate(10 * S);
        assertTrue(load.percent() >= 90);
        assertNull(load.current());
    }
}
