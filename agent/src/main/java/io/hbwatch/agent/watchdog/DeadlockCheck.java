package io.hbwatch.agent.watchdog;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Finds threads deadlocked on monitors or ownable synchronizers ({@code ReentrantLock}, the write
 * side of {@code ReentrantReadWriteLock}) with {@link ThreadMXBean#findDeadlockedThreads()}, on the
 * watchdog's own thread: the call stops the world for a time that grows with the number of
 * threads. When a deadlock first appears it prints the threads involved to stderr and carries out
 * {@code onDeadlock}.
 *
 * <p>What it cannot see: a thread blocked on something that is not an owned lock (the readers of a
 * {@code ReentrantReadWriteLock}, a {@code Semaphore}, a {@code CountDownLatch}, a {@code
 * Condition} nobody signals, a blocking queue, a socket); virtual threads blocked on monitors
 * before JDK 24 (they pin a carrier and are not reported); threads that wait on each other across
 * processes.
 *
 * <p>Thread-safe: {@link #check()} runs on one thread; {@link #current()}, {@link #writeTo} and
 * {@link #deadlockedThreads()} read one volatile field.
 */
public final class DeadlockCheck implements Health.Check, Health.Contributor {
    /** At most this many thread names in a beat (a beat line has 4 KiB), each at most 80 characters. */
    private static final int MAX_IN_BEAT = 8;
    /** At most this many thread names in the detail sentence. */
    private static final int MAX_IN_DETAIL = 4;

    private final ThreadMXBean threads;
    private final Action onDeadlock;
    private final Actions actions;

    /** The last check's result: names and finding together, so readers never see one without the other. */
    private volatile Result result = Result.NONE;

    private long[] lastIds = new long[0];

    public DeadlockCheck(Action onDeadlock, Actions actions) {
        this.threads = ManagementFactory.getThreadMXBean();
        this.onDeadlock = onDeadlock;
        this.actions = actions;
    }

    /** One check: the expensive part, for the watchdog's thread. Returns the deadlocked threads' ids. */
    long[] check() {
        long[] ids = threads.isSynchronizerUsageSupported()
                ? threads.findDeadlockedThreads()
                : threads.findMonitorDeadlockedThreads();
        if (ids == null) {
            lastIds = new long[0];
            result = Result.NONE;
            return lastIds;
        }
        Arrays.sort(ids);
        if (Arrays.equals(ids, lastIds)) {
            return ids;
        }
        ThreadInfo[] infos = threads.getThreadInfo(
                ids, threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported());
        List<String> names = new ArrayList<>();
        for (ThreadInfo info : infos) {
            if (info != null) {
                names.add(Words.clip(info.getThreadName(), 80));
            }
        }
        boolean isNew = false;
        for (long id : ids) {
            isNew |= Arrays.binarySearch(lastIds, id) < 0;
        }
        lastIds = ids;
        String detail = names.size() + " threads deadlocked: " + Words.quoted(names, MAX_IN_DETAIL);
        result = new Result(Collections.unmodifiableList(names), new Finding(Status.DEGRADED, Reason.DEADLOCK, detail));
        if (isNew) {
            report(detail, infos);
        }
        return ids;
    }

    private void report(String detail, ThreadInfo[] infos) {
        StringBuilder b = new StringBuilder(4096);
        b.append("deadlock: ").append(detail).append('\n');
        for (ThreadInfo info : infos) {
            ThreadDumps.append(b, info);
        }
        // One print: the dump stays in one piece among the host's output. Each line is prefixed so
        // that grep 'hbwatch:' finds all of it.
        System.err.print("hbwatch: " + b.toString().trim().replace("\n", "\nhbwatch: ") + "\n");
        actions.perform(onDeadlock, "deadlock", detail);
    }

    @Override
    public Finding current() {
        return result.finding;
    }

    @Override
    public void writeTo(JsonLine beat) {
        List<String> names = result.names;
        if (!names.isEmpty()) {
            beat.field(
                    io.hbwatch.protocol.Protocol.F_DEADLOCKED,
                    names.size() <= MAX_IN_BEAT ? names : names.subList(0, MAX_IN_BEAT));
        }
    }

    /** Names of the deadlocked threads at the last check; empty when none. */
    public List<String> deadlockedThreads() {
        return result.names;
    }

    private static final class Result {
        static final Result NONE = new Result(Collections.emptyList(), null);

        final List<String> names;
        final Finding finding;

        Result(List<String> names, Finding finding) {
            this.names = names;
            this.finding = finding;
        }
    }
}
