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
public final class CpuQuota implements Health.Check {
    private final Cgroups.Finder finder;
    /** The cgroup read now; null when there is none. Checking thread only. */
    private Cgroups.Dir dir;
    /** {@code cpu.stat} of {@link #dir}. */
    private String statFile;

    private final ProcFile stat = new ProcFile();

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
        this(new Cgroups.Finder("cpu", "cpu.stat"), null, warnPercent, windowMs, checkMs);
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
        if (!stat.read(statFile)) {
            return;
        }
        long now = System.nanoTime();
        long p = stat.keyed("nr_periods");
        long t = stat.keyed("nr_throttled");
        if (p < 0 || t < 0) {
            return;
        }
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
        return finding;
    }
}
