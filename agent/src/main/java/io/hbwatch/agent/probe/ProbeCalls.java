package io.hbwatch.agent.probe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The helper that {@link ProbeAdvice}, inlined into probed methods, calls on every entry and exit.
 * It must be visible to the probed class's loader, which is why it is public and lives in the
 * agent jar on the system class path.
 *
 * <p>Each thread that runs a probed method gets one {@link CallStack} on its first call; after
 * that, entry and exit allocate nothing and take no lock: they write the thread's own arrays and
 * publish the depth with a release store. The {@link StallScanner} reads the stacks from its own
 * thread. Figures it reads may lag by a few calls but are never torn for a given slot it
 * re-validates.
 *
 * <p>Thread-safe. Never throws on the fast path except for a bug; the advice suppresses anything
 * anyway, so the probed method is never affected.
 */
public final class ProbeCalls {
    /** Nested probed calls watched for stalls per thread; deeper calls are only counted and timed. */
    static final int MAX_DEPTH = 32;

    private static final AtomicInteger NEXT_ID = new AtomicInteger();
    private static final Queue<CallStack> STACKS = new ConcurrentLinkedQueue<>();
    private static final ThreadLocal<CallStack> CURRENT = new ThreadLocal<>();

    /** For tests only: makes {@link #enter} and {@link #exit} throw, as a broken probe would. */
    static volatile boolean failForTest;

    private ProbeCalls() {}

    /** Reserves {@code count} consecutive probe ids and returns the first. */
    static int reserveIds(int count) {
        return NEXT_ID.getAndAdd(count);
    }

    /** Every thread's stack, for the scanner. */
    static Queue<CallStack> stacks() {
        return STACKS;
    }

    /**
     * Records the entry into a probed method on the current thread.
     *
     * @return the entry time ({@link System#nanoTime()}), to be handed back to {@link #exit}
     */
    public static long enter(int probe) {
        if (failForTest) {
            throw new IllegalStateException("probe failure for a test");
        }
        CallStack s = CURRENT.get();
        if (s == null) {
            s = newStack();
        }
        long now = System.nanoTime();
        int d = s.depth;
        if (d < MAX_DEPTH) {
            s.probes[d] = probe;
            s.starts[d] = now;
        }
        CallStack.DEPTH.setRelease(s, d + 1);
        return now;
    }

    /**
     * Records the return (or throw) of a probed method entered at {@code start}. An exit that
     * matches no entry (because the entry advice failed) is ignored.
     */
    public static void exit(int probe, long start) {
        if (failForTest) {
            throw new IllegalStateException("probe failure for a test");
        }
        long now = System.nanoTime();
        CallStack s = CURRENT.get();
        if (s == null) {
            return;
        }
        int d = s.depth - 1;
        if (d < 0 || (d < MAX_DEPTH && (s.starts[d] != start || s.probes[d] != probe))) {
            return;
        }
        CallStack.DEPTH.setRelease(s, d);
        if (probe >= s.calls.length) {
            s.grow(probe + 1);
        }
        long took = now - start;
        s.calls[probe]++;
        if (took > s.longestNanos[probe]) {
            s.longestNanos[probe] = took;
        }
        s.lastEndNanos[probe] = now;
    }

    private static CallStack newStack() {
        CallStack s = new CallStack(Thread.currentThread(), Math.max(NEXT_ID.get(), 1));
        CURRENT.set(s);
        STACKS.add(s);
        return s;
    }

    /**
     * One thread's probed calls in flight and its per-probe figures. Written only by its thread;
     * read by the scanner.
     */
    static final class CallStack {
        static final VarHandle DEPTH;

        static {
            try {
                DEPTH = MethodHandles.lookup().findVarHandle(CallStack.class, "depth", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Weak, so that a stack never keeps a finished thread alive. */
        final WeakReference<Thread> thread;

        final int[] probes = new int[MAX_DEPTH];
        final long[] starts = new long[MAX_DEPTH];
        /** Calls in flight, counting those deeper than MAX_DEPTH. Written with release semantics. */
        volatile int depth;

        long[] calls;
        long[] longestNanos;
        long[] lastEndNanos;

        CallStack(Thread thread, int probes) {
            this.thread = new WeakReference<>(thread);
            calls = new long[probes];
            longestNanos = new long[probes];
            lastEndNanos = new long[probes];
        }

        private void grow(int size) {
            calls = java.util.Arrays.copyOf(calls, size);
            longestNanos = java.util.Arrays.copyOf(longestNanos, size);
            lastEndNanos = java.util.Arrays.copyOf(lastEndNanos, size);
        }
    }
}
