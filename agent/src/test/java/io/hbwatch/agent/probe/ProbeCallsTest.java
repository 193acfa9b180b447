package io.hbwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hbwatch.agent.watchdog.Action;
import io.hbwatch.agent.watchdog.Actions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracking the advice calls into, driven directly, and the scanner that reads it. */
class ProbeCallsTest {

    @Test
    void nestedCallsAreTrackedAndCounted() {
        Fixture f = new Fixture(2);
        long outer = ProbeCalls.enter(f.id(0));
        long inner = ProbeCalls.enter(f.id(1));
        f.scanner.scan();
        assertEquals(1, f.probe(0).getInFlight());
        assertEquals(1, f.probe(1).getInFlight());
        ProbeCalls.exit(f.id(1), inner);
        ProbeCalls.exit(f.id(0), outer);
        f.scanner.scan();
        assertEquals(0, f.probe(0).getInFlight());
        assertEquals(1, f.probe(0).getCalls());
        assertEquals(1, f.probe(1).getCalls());
    }

    @Test
    void anExitWhoseEntryFailedLeavesTheOuterCallInFlight() {
        Fixture f = new Fixture(1);
        long outer = ProbeCalls.enter(f.id(0));
        ProbeCalls.exit(f.id(0), 0L); // what a suppressed entry hands to the exit advice
        f.scanner.scan();
        assertEquals(1, f.probe(0).getInFlight());
        assertEquals(0, f.probe(0).getCalls());
        ProbeCalls.exit(f.id(0), outer);
        f.scanner.scan();
        assertEquals(0, f.probe(0).getInFlight());
        assertEquals(1, f.probe(0).getCalls());
    }

    @Test
    void callsDeeperThanTheStackAreCountedAndUnwindCleanly() {
        Fixture f = new Fixture(1);
        int depth = ProbeCalls.MAX_DEPTH + 8;
        long[] starts = new long[depth];
        for (int i = 0; i < depth; i++) {
            starts[i] = ProbeCalls.enter(f.id(0));
        }
        f.scanner.scan();
        assertEquals(ProbeCalls.MAX_DEPTH, f.probe(0).getInFlight(), "only the tracked ones");
        for (int i = depth - 1; i >= 0; i--) {
            ProbeCalls.exit(f.id(0), starts[i]);
        }
        f.scanner.scan();
        assertEquals(0, f.probe(0).getInFlight());
        assertEquals(depth, f.probe(0).getCalls());
    }

    @Test
    void callsOfThreadsThatEndedStillCount() throws InterruptedException {
        Fixture f = new Fixture(1);
        Thread t = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                ProbeCalls.exit(f.id(0), ProbeCalls.enter(f.id(0)));
            }
        });
        t.start();
        t.join();
        f.scanner.scan(); // folds the ended thread's figures in and forgets its stack
        f.scanner.scan();
        assertEquals(5, f.probe(0).getCalls());
        assertNull(f.scanner.current());
    }

    /** Probes with fresh ids and a scanner over them. */
    private static final class Fixture {
        final List<Probe> probes;
        final StallScanner scanner;

        Fixture(int count) {
            int first = ProbeCalls.reserveIds(count);
            Probe[] array = new Probe[count];
            for (int i = 0; i < count; i++) {
                array[i] = new Probe(new ProbeSpec("t.Target", "m" + i, 60_000), first + i, false);
            }
            probes = List.of(array);
            scanner = new StallScanner(probes, Action.LOG, new Actions(null));
        }

        int id(int i) {
            return probes.get(i).id;
        }

        Probe probe(int i) {
            return probes.get(i);
        }
    }
}
