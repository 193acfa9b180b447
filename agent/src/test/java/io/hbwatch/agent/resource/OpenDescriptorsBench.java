package io.hbwatch.agent.resource;

import java.io.File;
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
 * One count of the process's open descriptors, as the {@code fds} check makes it every {@code
 * resourceCheck}, with a server's worth of descriptors open: the size of {@code /proc/self/fd}
 * ({@code table}) against the JDK's listing of it ({@code listing}, what a kernel before 6.2 gets).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class OpenDescriptorsBench {
    @Param({"100", "10000"})
    public int open;

    @Param({"table", "listing"})
    public String way;

    private final List<FileInputStream> opened = new ArrayList<>();
    private final com.sun.management.UnixOperatingSystemMXBean unix =
            (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ProcessLimits limits = new ProcessLimits(90, 90, null, 1000, 2000);
    private boolean table;

    @Setup(Level.Trial)
    public void open() throws IOException {
        table = way.equals("table");
        if (table && !ProcessLimits.sizeCounts(new File("/proc/self/fd"), unix)) {
            throw new IllegalStateException("this kernel does not count descriptors in /proc/self/fd's size");
        }
        while (unix.getOpenFileDescriptorCount() < open) {
            opened.add(new FileInputStream("/dev/null"));
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        for (FileInputStream in : opened) {
            in.close();
        }
    }

    @Benchmark
    public long count() {
        return table ? limits.openDescriptors() : unix.getOpenFileDescriptorCount();
    }
}
