package io.hbwatch.agent.probe;

import io.hbwatch.agent.config.Values;
import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.Log;
import io.hbwatch.agent.util.Words;
import io.hbwatch.agent.watchdog.Action;
import io.hbwatch.agent.watchdog.Actions;
import io.hbwatch.agent.watchdog.ThreadDumps;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Reads every thread's {@link ProbeCalls.CallStack} a few times per deadline, on its own thread:
 * publishes each probe's figures, finds calls past their deadline, logs each new stall once and
 * carries out {@code onStall}. As a {@link Health.Check} it reports the oldest stall; as a {@link
 * Health.Contributor} it names the stalled calls in the beat. Both only read a volatile field.
 */
final class StallScanner implements Health.Check, Health.Contributor {
    /** At most this many stalled calls named in a beat (a beat line has 4 KiB). */
    private static final int MAX_IN_BEAT = 4;

    private final List<Probe> probes;
    private final Probe[] byId;
    private final int firstId;
    private final Action onStall;
    private final Actions actions;

    /** Figures of threads that have ended, by probe index. Scanner thread only. */
    private final long[] retiredCalls;

    private final long[] retiredLongestNanos;
    private final long[] retiredLastEndNanos;

    private volatile List<Stall> stalls = Collections.emptyList();
    private volatile Finding finding;
    /** The {@code expect=} probes' finding: the one that has waited longest past its window. */
    private volatile Finding progressFinding;

    private final Progress progressCheck = new Progress();
    /** When the scanner was made: the start of an expect probe's first window. */
    private final long startNanos = System.nanoTime();

    StallScanner(List<Probe> probes, Action onStall, Actions actions) {
        this.probes = probes;
        this.firstId = probes.get(0).id;
        this.byId = probes.toArray(new Probe[0]);
        this.onStall = onStall;
        this.actions = actions;
        retiredCalls = new long[byId.length];
        retiredLongestNanos = new long[byId.length];
        retiredLastEndNanos = new long[byId.length];
    }

    /** How often to scan: a quarter of the shortest deadline, between 10 ms and 500 ms. */
    long periodMs() {
        long shortest = Long.MAX_VALUE;
        for (Probe p : probes) {
            shortest = Math.min(shortest, p.spec.deadlineMs());
        }
        return Math.max(10, Math.min(500, shortest / 4));
    }

    @Override
    public Finding current() {
        return finding;
    }

    @Override
    public void writeTo(JsonLine beat) {
        List<Stall> s = stalls;
        if (s.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>(Math.min(s.size(), MAX_IN_BEAT));
        for (int i = 0; i < s.size() && i < MAX_IN_BEAT; i++) {
            names.add(Words.clip(s.get(i).probe.spec.target() + " in \"" + s.get(i).threadName + "\"", 240));
        }
        beat.field("stalled", names);
    }

    /** The stalled calls now, oldest first. */
    List<Stall> stalls() {
        return stalls;
    }

    /** One pass over every thread's stack. Scanner thread only. */
    void scan() {
        int n = byId.length;
        long[] calls = retiredCalls.clone();
        long[] longest = retiredLongestNanos.clone();
        long[] lastEnd = retiredLastEndNanos.clone();
        int[] inFlight = new int[n];
        long[] oldest = new long[n];
        List<Stall> found = new ArrayList<>();
        List<Stall> before = stalls;
        long now = System.nanoTime();

        for (Iterator<ProbeCalls.CallStack> it = ProbeCalls.stacks().iterator(); it.hasNext(); ) {
            ProbeCalls.CallStack s = it.next();
            Thread t = s.thread.get();
            boolean alive = t != null && t.isAlive();
            long[] sCalls = s.calls;
            long[] sLongest = s.longestNanos;
            long[] sLastEnd = s.lastEndNanos;
            for (int i = 0; i < n; i++) {
                int id = firstId + i;
                if (id < sCalls.length && id < sLongest.length && id < sLastEnd.length) {
                    long c = sCalls[id];
                    calls[i] += c;
                    longest[i] = Math.max(longest[i], sLongest[id]);
                    lastEnd[i] = latest(lastEnd[i], sLastEnd[id]);
                    if (!alive) {
                        retiredCalls[i] += c;
                        retiredLongestNanos[i] = Math.max(retiredLongestNanos[i], sLongest[id]);
                        retiredLastEndNanos[i] = latest(retiredLastEndNanos[i], sLastEnd[id]);
                    }
                }
            }
            if (!alive) {
                it.remove();
                continue;
            }
            int depth = Math.min((int) ProbeCalls.CallStack.DEPTH.getAcquire(s), ProbeCalls.MAX_DEPTH);
            for (int d = 0; d < depth; d++) {
                int id = s.probes[d];
                long start = s.starts[d];
                // Re-validate: the owner may have returned and entered another call meanwhile.
                if (id < firstId || id >= firstId + n || s.depth <= d || s.starts[d] != start) {
                    continue;
                }
                Probe p = byId[id - firstId];
                long age = now - start;
                inFlight[id - firstId]++;
                oldest[id - firstId] = Math.max(oldest[id - firstId], age);
                if (!p.expect && age > p.deadlineNanos) {
                    found.add(stall(before, p, t, start, age / 1_000_000L));
                }
            }
        }
        found.sort((a, b) -> Long.compare(b.ageMillis, a.ageMillis));
        publish(calls, longest, lastEnd, inFlight, oldest, now, found);
    }

    private Stall stall(List<Stall> before, Probe p, Thread t, long start, long ageMs) {
        for (Stall s : before) {
            if (s.sameCall(t.getId(), start)) {
                return s.aged(ageMs);
            }
        }
        // First seen: take the stack now (expensive, once per stalled call), say so, act.
        Stall s = new Stall(p, t.getId(), t.getName(), start, ageMs, ThreadDumps.stack(t.getStackTrace()));
        String summary = s.describe();
        Log.warn("stall: " + summary);
        actions.perform(onStall, "stall", summary);
        return s;
    }

    private void publish(
            long[] calls,
            long[] longest,
            long[] lastEnd,
            int[] inFlight,
            long[] oldest,
            long nowNanos,
            List<Stall> found) {
        long nowMs = System.currentTimeMillis();
        for (int i = 0; i < byId.length; i++) {
            Probe p = byId[i];
            p.calls = calls[i];
            p.longestMillis = longest[i] / 1_000_000L;
            p.inFlight = inFlight[i];
            p.oldestInFlightMillis = oldest[i] / 1_000_000L;
            p.lastCompletion = lastEnd[i] == 0 ? 0 : nowMs - (nowNanos - lastEnd[i]) / 1_000_000L;
            List<Stall> mine = new ArrayList<>();
            for (Stall s : found) {
                if (s.probe == p) {
                    mine.add(s);
                }
            }
            p.stalls = Collections.unmodifiableList(mine);
        }
        progressFinding = progress(lastEnd, nowNanos);
        stalls = Collections.unmodifiableList(found);
        if (found.isEmpty()) {
            finding = null;
        } else {
            String more = found.size() > 1 ? " (and " + (found.size() - 1) + " more)" : "";
            finding = new Finding(Status.DEGRADED, Reason.STALL, found.get(0).describe() + more);
        }
    }

    /** The expect probe that has waited longest past its window, as a finding; null when all are on time. */
    private Finding progress(long[] lastEnd, long nowNanos) {
        Probe late = null;
        long lateBy = 0;
        long lateSince = 0;
        for (int i = 0; i < byId.length; i++) {
            Probe p = byId[i];
            if (!p.expect) {
                continue;
            }
            long since = lastEnd[i] == 0 ? startNanos : lastEnd[i];
            long over = nowNanos - since - p.deadlineNanos;
            if (over > lateBy) {
                late = p;
                lateBy = over;
                lateSince = since;
            }
        }
        if (late == null) {
            return null;
        }
        long waitedMs = (nowNanos - lateSince) / 1_000_000L;
        Finding old = progressFinding;
        // The words name whole seconds, so that the finding changes (and allocates) once a second at most.
        String detail = (late.calls == 0 && lateSince == startNanos
                        ? "no call of " + late.spec.target() + " has completed since the agent started "
                        : "no call of " + late.spec.target() + " has completed for ")
                + Words.seconds(waitedMs / 1000 * 1000) + " (expected within " + Values.formatMs(late.spec.deadlineMs())
                + ")";
        return old != null && detail.equals(old.detail()) ? old : new Finding(Status.DEGRADED, Reason.PROGRESS, detail);
    }

    /** The check of the {@code expect=} probes, reason {@code progress}. */
    Health.Check progress() {
        return progressCheck;
    }

    /** Reads the expect probes' finding that {@link #scan} publishes. */
    private final class Progress implements Health.Check {
        @Override
        public Finding current() {
            return progressFinding;
        }
    }

    private static long latest(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return a - b > 0 ? a : b; // nanoTime values compare by difference
    }
}
