package io.hbwatch.agent.resource;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Resources of the process near their limits, read by the watchdog's periodic check:
 *
 * <ul>
 *   <li>{@code fds}: open file descriptors against the process's limit ({@code ulimit -n}), at
 *       {@code fdsWarn} (90%) or more. Counted by the size of {@code /proc/self/fd} where the
 *       kernel gives it (Linux 6.2 and later); elsewhere by listing it, as the JDK's {@code
 *       UnixOperatingSystemMXBean} does, and only once the descriptor table's size has reached
 *       the warning ({@link #mayReachWarning}).
 *   <li>{@code threads}: the cgroup's tasks against its {@code pids.max} (v2 and v1; threads of
 *       the other processes in the cgroup count too, as they do for the limit), and the JVM's live
 *       threads against {@code ulimit -u} (a per-user limit, so other processes of the user use it
 *       up too, which the agent cannot see; root is exempt), at {@code threadsWarn} (90%) or more.
 *       A thread that could not be created ("unable to create native thread", seen by {@link
 *       OomWatch}) is {@code threads} too, for {@code oomHold}.
 * </ul>
 *
 * <p>Thread-safe: one thread checks; the beat thread reads a volatile field.
 */
public final class ProcessLimits implements Health.Check {
    /** The process's descriptor table; since Linux 6.2 its size is the number of descriptors open. */
    private static final File FD_DIR = new File("/proc/self/fd");

    /** Descriptors that may open or close between the two counts of {@link #sizeCounts}. */
    private static final int COUNT_SLACK = 8;

    private final int fdsWarn;
    private final int threadsWarn;
    private final OomWatch oom;
    private final long holdNanos;
    private final com.sun.management.UnixOperatingSystemMXBean unix;
    /**
     * Whether {@link #FD_DIR}'s size counts the descriptors ({@link #sizeCounts}); null until the
     * first check decides, so that the listing it takes is not made on the host's start-up path.
     */
    private Boolean tableSizeCounts;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Cgroups.Finder pidsFinder;
    private final ProcFile file = new ProcFile();
    private Cgroups.Dir pids;
    private final long nproc;
    private final boolean root;
    private volatile Finding finding;

    /**
     * @param fdsWarn percent of the descriptor limit that is a finding; 0 for never
     * @param threadsWarn percent of a thread limit that is a finding; 0 for never
     * @param oom where failed thread creation is seen
     * @param holdMs how long a failed thread creation is reported, in milliseconds
     * @param checkMs how often {@link #check} runs, in milliseconds: the cgroup is looked up again every fifth
     */
    public ProcessLimits(int fdsWarn, int threadsWarn, OomWatch oom, long holdMs, long checkMs) {
        this(fdsWarn, threadsWarn, oom, holdMs, checkMs, true);
    }

    /** @param tableSize false to count as before Linux 6.2, whatever the kernel ({@link #sizeCounts}) */
    ProcessLimits(int fdsWarn, int threadsWarn, OomWatch oom, long holdMs, long checkMs, boolean tableSize) {
        this.pidsFinder = new Cgroups.Finder("pids", "pids.current", checkMs);
        this.fdsWarn = fdsWarn;
        this.threadsWarn = threadsWarn;
        this.oom = oom;
        this.holdNanos = Math.max(1, holdMs) * 1_000_000L;
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.UnixOperatingSystemMXBean u = null;
        try {
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
                u = (com.sun.management.UnixOperatingSystemMXBean) os;
            }
        } catch (LinkageError e) {
            // no jdk.management module: descriptors are not judged
        }
        unix = u;
        tableSizeCounts = tableSize && u != null ? null : Boolean.FALSE;
        nproc = processLimit();
        root = "root".equals(System.getProperty("user.name"));
    }

    /** One check of every limit. */
    public void check() {
        Finding f = null;
        if (fdsWarn > 0 && unix != null) {
            long max = unix.getMaxFileDescriptorCount();
            if (mayReachWarning(max)) {
                long open = openDescriptors();
                f = worse(
                        f,
                        Reason.FDS,
                        open,
                        max,
                        fdsWarn,
                        "file descriptors open",
                        "of the process's limit (ulimit -n)");
            }
        }
        if (threadsWarn > 0) {
            pids = pidsFinder.find();
            f = worse(
                    f,
                    Reason.THREADS,
                    cgroupTasks(),
                    cgroupMax(),
                    threadsWarn,
                    "tasks in the JVM's cgroup",
                    "of its pids.max");
            if (!root && nproc > 0) {
                f = worse(
                        f,
                        Reason.THREADS,
                        threads.getThreadCount(),
                        nproc,
                        threadsWarn,
                        "live threads",
                        "of the user's process limit (ulimit -u)");
            }
        }
        long failed = oom == null ? 0 : oom.lastThreadFailureNanos();
        if (f == null && failed != 0 && System.nanoTime() - failed <= holdNanos) {
            f = same(
                    Reason.THREADS,
                    "a thread could not be created (OutOfMemoryError: " + Words.clip(oom.lastKind(), 120)
                            + ") " + Words.seconds((System.nanoTime() - failed) / 1_000_000L) + " ago; "
                            + threads.getThreadCount() + " live threads");
        }
        finding = f;
    }

    /**
     * Whether {@code fdDir}'s size is the number of descriptors open, as Linux 6.2 and later make
     * it: one {@code stat} then counts them, where {@code unix}'s count lists the directory, which
     * costs in proportion to the descriptors open, about 9 ms at 10,000 (a server's sockets)
     * against a few microseconds ({@code bench/watchdog-jmh.sh OpenDescriptorsBench}). Before 6.2
     * the size is 0. A size that the listing does not bear out (some other kernel's, or a
     * sandbox's {@code /proc}) is not trusted: asked once, at the first check.
     */
    static boolean sizeCounts(File fdDir, com.sun.management.UnixOperatingSystemMXBean unix) {
        long size = fdDir.length();
        return size > 0 && Math.abs(size - unix.getOpenFileDescriptorCount()) <= COUNT_SLACK;
    }

    /**
     * False when the descriptors open cannot have reached the warning, known without counting
     * them. Where only a listing counts them (before Linux 6.2), the descriptor table's size ({@code
     * FDSize} in {@code /proc/self/status}, which the count never exceeds) below the warning is
     * enough: a process far from its limit then pays for one small file, not a listing of every
     * descriptor. The table grows to a power of two past the highest descriptor and never shrinks,
     * so a process that once came near the warning is counted at every check from then on.
     */
    boolean mayReachWarning(long max) {
        if (tableSizeCounts() || max <= 0 || !file.read("/proc/self/status")) {
            return true;
        }
        long table = file.keyed("FDSize:");
        return table < 0 || table * 100 >= (long) fdsWarn * max;
    }

    /** The process's open file descriptors. */
    long openDescriptors() {
        return tableSizeCounts() ? FD_DIR.length() : unix.getOpenFileDescriptorCount();
    }

    private boolean tableSizeCounts() {
        Boolean counts = tableSizeCounts;
        if (counts == null) {
            counts = sizeCounts(FD_DIR, unix);
            tableSizeCounts = counts;
        }
        return counts;
    }

    private Finding worse(Finding than, String reason, long used, long max, int warn, String what, String limit) {
        if (used < 0 || max <= 0 || used * 100 < (long) warn * max) {
            return than;
        }
        if (than != null) {
            return than; // the first limit found is named; the others' figures are in their own checks
        }
        long p = used * 100 / max;
        return same(reason, used + " " + what + ", " + p + "% " + limit + " of " + max);
    }

    /** A finding with these words: the one published already if it says the same. */
    private Finding same(String reason, String detail) {
        Finding old = finding;
        return old != null && old.reason().equals(reason) && detail.equals(old.detail())
                ? old
                : new Finding(Status.DEGRADED, reason, detail);
    }

    private long cgroupTasks() {
        return pids == null ? -1 : number("pids.current");
    }

    private long cgroupMax() {
        return pids == null ? -1 : number("pids.max");
    }

    /** A cgroup file holding one number; -1 when it says {@code max} or cannot be read. */
    private long number(String name) {
        return file.read(pids.file(name)) ? file.number() : -1;
    }

    /** The soft limit of {@code ulimit -u} from {@code /proc/self/limits}; -1 when unlimited or unknown. */
    private static long processLimit() {
        try {
            List<String> lines = Cgroups.read("/proc/self/limits");
            for (String line : lines) {
                if (line.startsWith("Max processes")) {
                    String soft =
                            line.substring("Max processes".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    @Override
    public Finding current() {
        return finding;
    }
}
