package io.hbwatch.agent.resource;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * A cgroup CPU quota that holds the JVM back (reason {@code throttled}): of the scheduler's quota
 * periods in the last {@code throttledWindow} (10 s) in which the JVM's cgroup wanted to run, the
 * share in which it used up its quota and had to wait, from the cgroup's own {@code cpu.stat}
 * ({@code nr_periods}, {@code nr_throttled}; v2 and v1). At {@code throttledWarn} (50%) or more
 * the beat says so with the quota: "throttled in 62% of the last 10 s by a 0.2 CPU quota". Beats
 * that leave late because of it then carry the reason that explains them.
 *
 * <p>Read by the watchdog's periodic check, every {@code resourceCheck}; the window is the span
 * between the oldest sample inside it and now. Without a cgroup CPU controller (not Linux, or not
 * in a cgroup with a quota) it reports nothing. A quota on a parent cgroup is not seen.
 *
 * <p>Thread-safe: one thread checks; the beat thread reads a volatile field.
 */
public final class CpuQuota implements Health.Check, Health.CatchUp {
    private final Cgroups.Finder finder;
    /** The cgroup read now; null when there is none. Written by the checking thread only. */
    private volatile Cgroups.Dir dir;
    /** {@code cpu.stat} of {@link #dir}. */
    private volatile String statFile;
    /** The checking thread's latest sample of the time the cgroup was throttled, in µs, and when; 0 before one. */
    private volatile long sampleThrottledUs = -1;

    private volatile long sampleNanos;

    /** Beat thread only: its own reads of {@code cpu.stat}, and when it last built a beat. */
    private final ProcFile lateStat = new ProcFile();

    private long lastBeatNanos;
    private long intervalNanos;
    /** A late beat the quota explains, shown until {@link #heldUpUntilNanos}. */
    private volatile Finding heldUp;

    private volatile long heldUpUntilNanos;

    private final ProcFile stat = new ProcFile();
    /** The quota file of {@link #dir}, read again every {@link #quotaRecheckNanos}. */
    private final ProcFile quotaFile = new ProcFile();

    private final long quotaRecheckNanos;
    private Cgroups.Dir quotaDir;
    private String quotaPath;
    private long quotaReadAtNanos;
    /**
     * Whether the cgroup says it has no quota at all; {@code cpu.stat} is then not read. Checking
     * thread only: the beat thread sees it as {@link #sampleThrottledUs} -1.
     */
    private boolean unlimited;

    private final int warnPercent;
    private final long windowNanos;
    private final long[] atNanos;
    private final long[] periods;
    private final long[] throttled;
    private int next;
    private int size;
    private volatile Finding finding;
    private volatile int percent;

    /**
     * @param warnPercent a share of throttled periods at least this high is a finding; 0 for never
     * @param windowMs the window, in milliseconds
     * @param checkMs how often {@link #check} runs, in milliseconds, to size the samples kept
     */
    public CpuQuota(int warnPercent, long windowMs, long checkMs) {
        this(new Cgroups.Finder("cpu", "cpu.stat", checkMs), null, warnPercent, windowMs, checkMs);
    }

    /** For tests: reads {@code dir} for good. */
    CpuQuota(Cgroups.Dir dir, int warnPercent, long windowMs, long checkMs) {
        this(null, dir, warnPercent, windowMs, checkMs);
    }

    private CpuQuota(Cgroups.Finder finder, Cgroups.Dir dir, int warnPercent, long windowMs, long checkMs) {
        this.finder = finder;
        this.dir = dir;
        this.statFile = dir == null ? null : dir.file("cpu.stat");
        this.warnPercent = warnPercent;
        this.quotaRecheckNanos = Cgroups.Finder.recheckNanos(checkMs);
        this.windowNanos = Math.max(1, windowMs) * 1_000_000L;
        int samples = (int) Math.min(1000, windowMs / Math.max(1, checkMs) + 2);
        atNanos = new long[samples];
        periods = new long[samples];
        throttled = new long[samples];
    }

    /** One sample of {@code cpu.stat}; recomputes the finding. */
    public void check() {
        if (warnPercent <= 0) {
            return;
        }
        if (finder != null) {
            Cgroups.Dir now = finder.find();
            if (now != dir) {
                dir = now; // moved to another cgroup: its counters start a window of their own
                statFile = now == null ? null : now.file("cpu.stat");
                size = 0;
                finding = null;
            }
        }
        if (dir == null) {
            return;
        }
        long now = System.nanoTime();
        if (unlimited(dir, now)) {
            return;
        }
        if (!stat.read(statFile)) {
            return;
        }
        long p = stat.keyed("nr_periods");
        long t = stat.keyed("nr_throttled");
        if (p < 0 || t < 0) {
            return;
        }
        sampleThrottledUs = throttledUs(stat, dir.v2);
        sampleNanos = now;
        // The oldest sample still inside the window is the base.
        int base = -1;
        for (int i = size; i >= 1; i--) {
            int k = Math.floorMod(next - i, atNanos.length);
            if (now - atNanos[k] <= windowNanos) {
                base = k;
                break;
            }
        }
        atNanos[next] = now;
        periods[next] = p;
        throttled[next] = t;
        next = (next + 1) % atNanos.length;
        size = Math.min(size + 1, atNanos.length);
        if (base < 0) {
            return;
        }
        long dp = p - periods[base];
        long dt = t - throttled[base];
        int share = dp <= 0 ? 0 : (int) Math.min(100, dt * 100 / dp);
        percent = share;
        if (share < warnPercent) {
            finding = null;
            return;
        }
        long spanMs = (now - atNanos[base]) / 1_000_000L;
        String detail =
                "throttled in " + share + "% of the last " + Words.seconds(spanMs) + " by a " + quota() + " quota";
        Finding old = finding;
        if (old == null || !detail.equals(old.detail())) {
            finding = new Finding(Status.DEGRADED, Reason.THROTTLED, detail);
        }
    }

    /**
     * Whether {@code d} says it has no CPU quota ({@code max} in v2's {@code cpu.max}, {@code -1} in
     * v1's {@code cpu.cfs_quota_us}); read again at most every {@link #quotaRecheckNanos}, like the
     * cgroup itself. Without a quota nothing can be throttled, and reading {@code cpu.stat} every check
     * was half of the checks' CPU. A file that cannot be read says nothing: {@code cpu.stat} is read.
     * When a quota appears, its window starts then.
     */
    private boolean unlimited(Cgroups.Dir d, long now) {
        if (d != quotaDir) {
            quotaDir = d;
            quotaPath = d.file(d.v2 ? "cpu.max" : "cpu.cfs_quota_us");
            quotaReadAtNanos = now - quotaRecheckNanos;
        }
        if (now - quotaReadAtNanos >= quotaRecheckNanos) {
            quotaReadAtNanos = now;
            boolean none = quotaFile.read(quotaPath) && quotaFile.number() < 0;
            if (none) {
                size = 0;
                finding = null;
                sampleThrottledUs = -1;
            }
            unlimited = none;
        }
        return unlimited;
    }

    /** Time the cgroup's tasks were throttled so far, in µs ({@code throttled_usec}, v1's ns), or -1. */
    private static long throttledUs(ProcFile stat, boolean v2) {
        if (v2) {
            return stat.keyed("throttled_usec");
        }
        long ns = stat.keyed("throttled_time");
        return ns < 0 ? -1 : ns / 1000;
    }

    /** Lets {@link #beforeBeat} name late beats: call with the beat interval before the first beat. */
    public void explainLateBeats(long intervalMs) {
        this.intervalNanos = Math.max(1, intervalMs) * 1_000_000L;
    }

    /**
     * On the beat thread, before a beat that leaves late (1.5 intervals after the last): when the
     * quota held the JVM back for at least half that delay since the checking thread's last sample,
     * the beat says so ({@code throttled}, with the quota) and no longer leaves as an UP that is
     * followed by {@code throttled} once the window's share catches up. Reads {@code cpu.stat} only
     * for a late beat; on a beat on time it costs two subtractions.
     */
    @Override
    public void beforeBeat(long nowNanos) {
        long since = nowNanos - lastBeatNanos;
        lastBeatNanos = nowNanos;
        String file = statFile;
        Cgroups.Dir d = dir;
        long baseUs = sampleThrottledUs;
        long at = sampleNanos;
        if (intervalNanos == 0
                || warnPercent <= 0
                || since < intervalNanos * 3 / 2
                || file == null
                || d == null
                || baseUs < 0
                || at == 0
                || !lateStat.read(file)) {
            return;
        }
        long waitedNanos = (throttledUs(lateStat, d.v2) - baseUs) * 1000;
        long lateBy = since - intervalNanos;
        if (waitedNanos <= 0 || waitedNanos * 2 < lateBy) {
            return;
        }
        heldUp = new Finding(
                Status.DEGRADED,
                Reason.THROTTLED,
                // The kernel adds up the time each CPU's share of the cgroup waited, so the sum can
                // exceed the time that passed: it is said as a sum over CPUs, not as wall time.
                "held back by a " + quota() + " quota: " + Words.seconds(waitedNanos / 1_000_000L)
                        + " throttled, summed over CPUs, in the last " + Words.seconds((nowNanos - at) / 1_000_000L));
        heldUpUntilNanos = nowNanos + 2 * intervalNanos;
    }

    /** The share of the last window's periods that were throttled, in percent, as last computed. */
    public int percent() {
        return percent;
    }

    /** The quota in CPUs, such as {@code 0.2 CPU}, or {@code CPU} when it cannot be read. */
    String quota() {
        try {
            long quotaUs;
            long periodUs;
            if (dir.v2) {
                String[] f = new String(Files.readAllBytes(dir.path.resolve("cpu.max")), StandardCharsets.US_ASCII)
                        .trim()
                        .split("\\s+");
                if (f[0].equals("max")) {
                    return "CPU";
                }
                quotaUs = Long.parseLong(f[0]);
                periodUs = Long.parseLong(f[1]);
            } else {
                quotaUs = Long.parseLong(read("cpu.cfs_quota_us"));
                periodUs = Long.parseLong(read("cpu.cfs_period_us"));
            }
            if (quotaUs <= 0 || periodUs <= 0) {
                return "CPU";
            }
            String cpus = java.math.BigDecimal.valueOf(Math.round(quotaUs * 100.0 / periodUs), 2)
                    .stripTrailingZeros()
                    .toPlainString();
            return cpus + " CPU";
        } catch (IOException | RuntimeException e) {
            return "CPU";
        }
    }

    private String read(String name) throws IOException {
        return new String(Files.readAllBytes(dir.path.resolve(name)), StandardCharsets.US_ASCII).trim();
    }

    @Override
    public Finding current() {
        Finding window = finding;
        Finding late = heldUp;
        if (window == null && late != null && System.nanoTime() - heldUpUntilNanos < 0) {
            return late;
        }
        return window;
    }
}
