package io.hbwatch.agent.probe;

import java.util.Collections;
import java.util.List;

/**
 * The state of one probe: its spec, whether it is applied, and the figures the {@link
 * StallScanner} last published. Thread-safe: written by the installer and the scanner, read by
 * JMX and the beat thread through volatile fields.
 */
final class Probe implements ProbeMXBean {
    final ProbeSpec spec;
    final int id;
    final long deadlineNanos;
    /** An {@code expect=} probe: its "deadline" is the window within which a call must complete. */
    final boolean expect;

    private volatile String state;
    private volatile boolean instrumented;
    volatile long calls;
    volatile int inFlight;
    volatile long longestMillis;
    volatile long oldestInFlightMillis;
    volatile long lastCompletion;
    volatile List<Stall> stalls = Collections.emptyList();

    Probe(ProbeSpec spec, int id, boolean expect) {
        this.spec = spec;
        this.id = id;
        this.expect = expect;
        this.deadlineNanos = spec.deadlineMs() * 1_000_000L;
        this.state = "waiting for class " + spec.className() + " to load";
    }

    void instrumented(String where) {
        instrumented = true;
        state = "instrumented in " + where;
    }

    /** Records why the probe does not work; keeps "instrumented" if another loader's copy was. */
    void problem(String why) {
        state = instrumented ? state + "; elsewhere: " + why : why;
    }

    @Override
    public String getTarget() {
        return spec.target();
    }

    @Override
    public String getKind() {
        return expect ? "expect" : "watch";
    }

    @Override
    public long getDeadlineMillis() {
        return spec.deadlineMs();
    }

    @Override
    public String getState() {
        return state;
    }

    @Override
    public boolean isInstrumented() {
        return instrumented;
    }

    @Override
    public long getCalls() {
        return calls;
    }

    @Override
    public int getInFlight() {
        return inFlight;
    }

    @Override
    public long getLongestMillis() {
        return longestMillis;
    }

    @Override
    public long getOldestInFlightMillis() {
        return oldestInFlightMillis;
    }

    @Override
    public long getLastCompletion() {
        return lastCompletion;
    }

    @Override
    public String[] getStalledThreads() {
        List<Stall> s = stalls;
        String[] out = new String[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).describeThread();
        }
        return out;
    }

    @Override
    public String getStalledStack() {
        List<Stall> s = stalls;
        return s.isEmpty() ? "" : s.get(0).stack;
    }
}
