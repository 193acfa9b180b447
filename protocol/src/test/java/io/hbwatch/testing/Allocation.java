package io.hbwatch.testing;

import java.lang.management.ManagementFactory;

/**
 * Heap that code allocates on the calling thread once it is in steady state, for tests of code
 * that must allocate nothing (the beat path).
 *
 * <p>Steady state is what the agent runs in for days; reaching it takes the JIT, whose compiled
 * code removes allocations by escape analysis that the interpreter still makes. A round that
 * overlaps a compilation or a deoptimization can therefore see a few hundred bytes that steady
 * state never allocates (seen once in CI: 464 bytes over 1,000 signatures). So this measures up
 * to {@code rounds} rounds after the warm-up and returns the least any of them allocated: code
 * that allocates on every call allocates in every round, and still fails.
 */
public final class Allocation {
    private Allocation() {}

    /**
     * Runs {@code round} {@code warmUp} times, then up to {@code rounds} more times measured, and
     * returns the fewest bytes one measured round allocated (0 as soon as one allocated nothing).
     */
    public static long steadyStateBytes(Runnable round, int warmUp, int rounds) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < warmUp; i++) {
            round.run();
        }
        long overhead = threads.getThreadAllocatedBytes(tid);
        overhead = threads.getThreadAllocatedBytes(tid) - overhead; // what the reading itself costs
        long least = Long.MAX_VALUE;
        for (int i = 0; i < rounds && least > 0; i++) {
            long before = threads.getThreadAllocatedBytes(tid);
            round.run();
            least = Math.min(least, threads.getThreadAllocatedBytes(tid) - before - overhead);
        }
        return least;
    }
}
