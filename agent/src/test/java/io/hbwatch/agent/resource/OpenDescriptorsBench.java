package io.hbwatch.agent.resource;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@code fds} check's look at the process's open descriptors, as it makes it every {@code
 * resourceCheck}, with a server's worth of descriptors open: the size of {@code /proc/self/fd}
 * ({@code table}, Linux 6.2 and later); before 6.2, the descriptor table's size far below the
 * warning of 90% of the limit ({@code bounded}), or else the JDK's listing ({@code listing}). On
 * a kernel before 6.2, {@code table} measures the listing too.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class OpenDescriptorsBench {
    @Param({"100", "10000"})
    public int open;

    private final List<FileInputStream> opened = new ArrayList<>();
    private final com.sun.management.UnixOperatingSystemMXBean unix =
            (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ProcessLimits limits = new ProcessLimits(90, 0, null, 1000, 2000);
    private final ProcessLimits beforeLinux62 = new ProcessLimits(90, 0, null, 1000, 2000, false);
    private long max;

    @Setup(Level.Trial)
    public void open() throws IOException {
        while (unix.getOpenFileDescriptorCount() < open) {
            opened.add(new FileInputStream("/dev/null"));
        }
        max = unix.getMaxFileDescriptorCount();
        if (beforeLinux62.mayReachWarning(max)) {
            throw new IllegalStateException(open + " descriptors are near 90% of the limit, " + max);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        for (FileInputStream in : opened) {
            in.close();
        }
    }

    @Benchmark
    public long table() {
        return limits.openDescriptors();
    }

    @Benchmark
    public long bounded() {
        return beforeLinux62.mayReachWarning(max) ? beforeLinux62.openDescriptors() : -1;
    }

    @Benchmark
    public long listing() {
        return beforeLinux62.openDescriptors();
    }
}
