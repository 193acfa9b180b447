package io.hbwatch.agent.watchdog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.resource.MemoryPools;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GcPausesTest {

    @ParameterizedTest
    @CsvSource({
        "G1 Young Generation, G1 Evacuation Pause, false",
        "G1 Old Generation, System.gc(), false",
        "G1 Concurrent GC, No GC, true", // its remark and cleanup, as Java 25 reports them
        "ZGC Pauses, Allocation Rate, false",
        "ZGC Major Pauses, Proactive, false",
        "Shenandoah Pauses, Allocation Failure, false",
        "ZGC Cycles, Allocation Rate, true",
        "ZGC Major Cycles, Proactive, true",
        "Shenandoah Cycles, Allocation Failure, true",
        "GPGC New, GPGC, true",
        "GPGC New Pauses, GPGC, false",
    })
    void onlyStopTheWorldCollectionsArePauses(String name, String cause, boolean concurrent) {
        assertTrue(GcPauses.isConcurrent(name, cause) == concurrent, name + " / " + cause);
    }

    /** A real full collection over a few million live objects takes milliseconds; the sampler hears of it. */
    @Test
    void aRealCollectionIsRecordedAsItEnds() {
        PauseSampler sampler = new PauseSampler(1000, 0, 200); // no sampling thread: only GC feeds it
        GcLoad load = new GcLoad(10_000, 50, 1, 1000);
        MemoryPools memory = new MemoryPools(90);
        Object[] live = new Object[2_000_000];
        try (GcPauses gc = GcPauses.start(sampler, load, memory)) {
            assertFalse(sampler.totalMaxMs() > 0);
            for (int i = 0; i < live.length; i++) {
                live[i] = new int[] {i};
            }
            // Young collections may end first: wait for the full one, named by its cause.
            boolean[] major = {false};
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                System.gc(); // this test's own JVM: a full collection that must mark every array
                major[0] |= memory.takeMajorCollection();
                Finding f = load.current();
                return major[0] && f != null && f.detail().contains("cause: System.gc()");
            });
        }
        assertTrue(live[live.length - 1] != null);
        assertTrue(sampler.totalMaxMs() > 0, "the sampler has the collections' pauses");
        Finding f = load.current();
        assertTrue(f.reason().equals("gc"), String.valueOf(f));
    }
}
