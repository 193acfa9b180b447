package io.hbwatch.agent.probe;

/**
 * One probe, registered as {@code hbwatch:type=Probe,name=CLASS#METHOD}. Figures are refreshed by
 * the stall scanner a few times per deadline, so they may lag the application by that much.
 */
public interface ProbeMXBean {
    /** {@code CLASS#METHOD}. */
    String getTarget();

    /** {@code watch} (a call past its deadline is a stall) or {@code expect} (a dead man's switch). */
    String getKind();

    /**
     * For {@code watch}, a call older than this is a stall; for {@code expect}, a call must complete
     * within this much of the last one, or the beat turns DEGRADED, reason {@code progress}.
     */
    long getDeadlineMillis();

    /**
     * Whether the probe works, in words: instrumented, still waiting for its class to load, or why
     * it could not be applied (no such method, a class loader that cannot see the agent, an error).
     */
    String getState();

    /** True once at least one class has been instrumented for this probe. */
    boolean isInstrumented();

    /** Calls that have returned or thrown since the probe was installed. */
    long getCalls();

    /** Calls in flight now. */
    int getInFlight();

    /** Longest call that has returned, in milliseconds. */
    long getLongestMillis();

    /** Age of the oldest call in flight, in milliseconds; 0 when none. */
    long getOldestInFlightMillis();

    /** When the last call returned or threw, in epoch milliseconds; 0 when none has. */
    long getLastCompletion();

    /** Calls past the deadline now, each as {@code "thread name" for 3.2 s}; empty when none. */
    String[] getStalledThreads();

    /** The stack of the oldest stalled call's thread, one frame a line, as seen when it stalled; empty when none. */
    String getStalledStack();
}
