package io.hbwatch.agent.probe;

import io.hbwatch.agent.util.Words;

/** One probed call past its deadline, as the scanner saw it. Immutable. */
final class Stall {
    final Probe probe;
    final long threadId;
    final String threadName;
    final long startNanos;
    final long ageMillis;
    /** The thread's stack when the stall was first seen, one frame a line. */
    final String stack;

    Stall(Probe probe, long threadId, String threadName, long startNanos, long ageMillis, String stack) {
        this.probe = probe;
        this.threadId = threadId;
        this.threadName = Words.clip(threadName, 80);
        this.startNanos = startNanos;
        this.ageMillis = ageMillis;
        this.stack = stack;
    }

    /** Same call, older now. */
    Stall aged(long ageMillis) {
        return new Stall(probe, threadId, threadName, startNanos, ageMillis, stack);
    }

    boolean sameCall(long threadId, long startNanos) {
        return this.threadId == threadId && this.startNanos == startNanos;
    }

    String describeThread() {
        return "\"" + threadName + "\" for " + Words.seconds(ageMillis);
    }

    /** One sentence: {@code CLASS#METHOD in thread "x" for 3.2 s, past its 2 s deadline}. */
    String describe() {
        return probe.spec.target() + " in thread \"" + threadName + "\" for " + Words.seconds(ageMillis) + ", past its "
                + Words.seconds(probe.spec.deadlineMs()) + " deadline";
    }
}
