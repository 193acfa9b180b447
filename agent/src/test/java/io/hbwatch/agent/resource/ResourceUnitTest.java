package io.hbwatch.agent.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.protocol.Reason;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsing and arithmetic of the resource checks, on files and threads of the test's own. */
class ResourceUnitTest {
    @TempDir
    Path tmp;

    @Test
    void vmInfoCountsAreRead() {
        String info = "OutOfMemory and StackOverflow Exception counts:\nOutOfMemoryError java_heap_errors=4\n"
                + "OutOfMemoryError metaspace_errors=12\n\nHeap address: 0x0";
        assertEquals(4, OomWatch.counter(info, "java_heap_errors"));
        assertEquals(12, OomWatch.counter(info, "metaspace_errors"));
        assertEquals(0, OomWatch.counter(info, "class_metaspace_errors"));
    }

    @Test
    void cgroupV1AndV2DirectoriesAreFoundFromProcFiles() {
        List<String> mounts = List.of(
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
                "40 31 0:35 /docker/abc /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
                "41 31 0:36 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
        List<String> cgroups = List.of("8:pids:/docker/abc/inner", "1:cpu:/hbwatch", "0::/");
        Cgroups.Dir cpu = Cgroups.find("cpu", cgroups, mounts);
        assertEquals(Path.of("/sys/fs/cgroup/cpu/hbwatch"), cpu.path);
        assertFalse(cpu.v2);
        Cgroups.Dir pids = Cgroups.find("pids", cgroups, mounts);
        assertEquals(Path.of("/sys/fs/cgroup/pids/inner"), pids.path);
        assertNull(Cgroups.find("memory", cgroups, mounts), "no v1 hierarchy and no v2 file for it");
    }

    @Test
    void throttlingIsTheShareOfPeriodsWithTheQuota() throws Exception {
        Files.writeString(tmp.resolve("cpu.max"), "20000 100000\n");
        CpuQuota q = new CpuQuota(new Cgroups.Dir(tmp, true), 50, 10_000, 100);
        stat(100, 10);
        q.check();
        assertNull(q.current(), "one sample is no window");
        stat(200, 80);
        q.check();
        Finding f = q.current();
        assertEquals(Reason.THROTTLED, f.reason());
        assertTrue(f.detail().startsWith("throttled in 70% of the last "), f.detail());
        assertTrue(f.detail().endsWith(" by a 0.2 CPU quota"), f.detail());
        stat(400, 90);
        q.check();
        assertNull(q.current(), "80 of 300 periods: under the warning");
        assertEquals(26, q.percent());
    }

    @Test
    void withoutAQuotaNothingIsThrottledUntilOneIsSet() throws Exception {
        Files.writeString(tmp.resolve("cpu.max"), "max 100000\n");
        CpuQuota q = new CpuQuota(new Cgroups.Dir(tmp, true), 50, 10_000, 100);
        stat(100, 10);
        q.check();
        stat(200, 100);
        q.check();
        assertNull(q.current(), "no quota: cpu.stat is not even read");
        assertEquals(0, q.percent());
        // A quota set while the JVM runs is seen at the next look at the quota (5 checks here).
        Files.writeString(tmp.resolve("cpu.max"), "20000 100000\n");
        long[] periods = {200};
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> {
                    periods[0] += 100;
                    stat(periods[0], periods[0] - 150);
                    q.check();
                    return q.current() != null;
                });
        assertEquals(Reason.THROTTLED, q.current().reason());
        assertTrue(
                q.current().detail().endsWith(" by a 0.2 CPU quota"),
                q.current().detail());
    }

    @Test
    void aBeatTheQuotaHeldUpNamesTheQuotaAtOnce() throws Exception {
        Files.writeString(tmp.resolve("cpu.max"), "2000 100000\n");
        CpuQuota q = new CpuQuota(new Cgroups.Dir(tmp, true), 50, 10_000, 100);
        q.explainLateBeats(100);
        Files.writeString(tmp.resolve("cpu.stat"), "nr_periods 100\nnr_throttled 0\nthrottled_usec 0\n");
        q.check(); // one sample: no window yet, only the base a late beat is measured from
        long t = System.nanoTime();
        q.beforeBeat(t);
        q.beforeBeat(t + 100_000_000L);
        assertNull(q.current(), "beats on time read nothing");
        // 900 ms throttled, and the next beat 1 s after the last: the quota explains it.
        Files.writeString(tmp.resolve("cpu.stat"), "nr_periods 110\nnr_throttled 9\nthrottled_usec 900000\n");
        q.beforeBeat(t + 1_100_000_000L);
        Finding f = q.current();
        assertEquals(Reason.THROTTLED, f.reason());
        assertTrue(
                f.detail()
                        .startsWith("held back by a 0.02 CPU quota: 900 ms throttled, summed over CPUs, in the last "),
                f.detail());
    }

    @Test
    void aLateBeatTheQuotaDoesNotExplainIsNotThrottled() throws Exception {
        Files.writeString(tmp.resolve("cpu.max"), "2000 100000\n");
        CpuQuota q = new CpuQuota(new Cgroups.Dir(tmp, true), 50, 10_000, 100);
        q.explainLateBeats(100);
        Files.writeString(tmp.resolve("cpu.stat"), "nr_periods 100\nnr_throttled 0\nthrottled_usec 0\n");
        q.check();
        long t = System.nanoTime();
        q.beforeBeat(t);
        // Late by 900 ms, of which the quota held the JVM back 100 ms: a pause of another kind.
        Files.writeString(tmp.resolve("cpu.stat"), "nr_periods 110\nnr_throttled 1\nthrottled_usec 100000\n");
        q.beforeBeat(t + 1_000_000_000L);
        assertNull(q.current());
    }

    @Test
    void aV1QuotaIsWrittenInCpus() throws Exception {
        Files.writeString(tmp.resolve("cpu.cfs_quota_us"), "150000\n");
        Files.writeString(tmp.resolve("cpu.cfs_period_us"), "100000\n");
        assertEquals("1.5 CPU", new CpuQuota(new Cgroups.Dir(tmp, false), 50, 10_000, 100).quota());
        Files.writeString(tmp.resolve("cpu.cfs_quota_us"), "-1\n");
        assertEquals("CPU", new CpuQuota(new Cgroups.Dir(tmp, false), 50, 10_000, 100).quota());
    }

    @Test
    void openDescriptorsAreCountedAsTheKernelListsThem() throws Exception {
        ProcessLimits limits = new ProcessLimits(90, 90, null, 1000, 2000);
        long before = limits.openDescriptors();
        List<FileInputStream> opened = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                opened.add(new FileInputStream("/dev/null"));
            }
            long open = limits.openDescriptors();
            // Other threads of the test's JVM may open or close a descriptor in between: a few, not 300.
            assertTrue(Math.abs(open - before - 300) <= 3, before + " then " + open);
            assertTrue(Math.abs(open - unix().getOpenFileDescriptorCount()) <= 3, open + " counted");
        } finally {
            for (FileInputStream in : opened) {
                in.close();
            }
        }
        assertTrue(Math.abs(limits.openDescriptors() - before) <= 3, "closed ones are gone");
    }

    @Test
    void theTablesSizeCountsOnlyWhereTheListingBearsItOut() throws Exception {
        File table = new File("/proc/self/fd");
        Assumptions.assumeTrue(table.length() > 0, "this kernel does not count descriptors in the size (before 6.2)");
        assertTrue(ProcessLimits.sizeCounts(table, unix()));
        assertFalse(ProcessLimits.sizeCounts(tmp.resolve("absent").toFile(), unix()), "no size: the listing counts");
        Path bogus = Files.write(tmp.resolve("bogus"), new byte[4096]);
        assertFalse(ProcessLimits.sizeCounts(bogus.toFile(), unix()), "a size that is not the count");
    }

    @Test
    void withoutTheTablesSizeATableBelowTheWarningSparesTheListingAndOneAboveIsCounted() throws Exception {
        long max = unix().getMaxFileDescriptorCount();
        Assumptions.assumeTrue(max >= 4096, "a descriptor limit (ulimit -n) of 4,096 or more: it is " + max);
        // As before Linux 6.2: only a listing counts the descriptors.
        ProcessLimits far = new ProcessLimits(90, 0, null, 1000, 2000, false);
        assertFalse(far.mayReachWarning(max), "a table of a few hundred is far below 90% of " + max);
        far.check();
        assertNull(far.current());
        List<FileInputStream> opened = new ArrayList<>();
        try {
            // 1% of the limit, and 300 more descriptors than that: the table has grown past it too.
            ProcessLimits near = new ProcessLimits(1, 0, null, 1000, 2000, false);
            while (unix().getOpenFileDescriptorCount() < max / 100 + 300) {
                opened.add(new FileInputStream("/dev/null"));
            }
            assertTrue(near.mayReachWarning(max));
            near.check();
            Finding f = near.current();
            assertEquals(Reason.FDS, f == null ? null : f.reason());
            assertTrue(f.detail().endsWith("of the process's limit (ulimit -n) of " + max), f.detail());
        } finally {
            for (FileInputStream in : opened) {
                in.close();
            }
        }
    }

    @Test
    void aKeyIsFoundBeforeASpaceOrATab() throws Exception {
        Path status = Files.writeString(
                tmp.resolve("status"), "Name:\tjava\nFDSizeX:\t9\nFDSize:\t256\nGroups:\t\nnr_periods  12\n");
        ProcFile file = new ProcFile();
        assertTrue(file.read(status.toString()));
        assertEquals(256, file.keyed("FDSize:"));
        assertEquals(12, file.keyed("nr_periods"));
        assertEquals(-1, file.keyed("Groups:"), "no number");
        assertEquals(-1, file.keyed("VmRSS:"), "absent");
    }

    private static com.sun.management.UnixOperatingSystemMXBean unix() {
        return (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    }

    private void stat(long periods, long throttled) throws Exception {
        Files.writeString(
                tmp.resolve("cpu.stat"),
                "usage_usec 1\nnr_periods " + periods + "\nnr_throttled " + throttled + "\nthrottled_usec 5\n");
    }

    @Test
    void theHandlerNotesAnOomAndHandsEveryThrowableOnAsBefore() throws Exception {
        MemoryPools pools = new MemoryPools(90);
        OomWatch oom = new OomWatch(60_000, pools, true);
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        StringBuilder handedOn = new StringBuilder();
        Thread.setDefaultUncaughtExceptionHandler(
                (t, e) -> handedOn.append(t.getName()).append(':').append(e.getMessage()));
        try {
            oom.install();
            Thread t = new Thread(
                    () -> {
                        throw new OutOfMemoryError("Java heap space");
                    },
                    "worker-1");
            t.start();
            t.join();
            assertEquals("worker-1:Java heap space", handedOn.toString(), "the earlier handler still ran");
            assertEquals(1, oom.count());
            assertEquals(
                    "OutOfMemoryError (Java heap space) ended thread \"worker-1\"; 1 error seen",
                    oom.current().detail());
            Thread other = new Thread(
                    () -> {
                        throw new IllegalStateException("not memory");
                    },
                    "worker-2");
            other.start();
            other.join();
            assertTrue(handedOn.toString().endsWith("worker-2:not memory"));
            assertEquals(1, oom.count(), "only OutOfMemoryErrors count");
            oom.uninstall();
            assertFalse(
                    Thread.getDefaultUncaughtExceptionHandler() instanceof Thread.UncaughtExceptionHandler
                            && Thread.getDefaultUncaughtExceptionHandler()
                                    .getClass()
                                    .getName()
                                    .contains("OomWatch"),
                    "uninstalled");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void withoutAnEarlierHandlerTheErrorIsPrintedAsTheJvmWould() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Thread.setDefaultUncaughtExceptionHandler(null);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        OomWatch oom = new OomWatch(60_000, new MemoryPools(90), true);
        try {
            oom.install();
            Thread t = new Thread(
                    () -> {
                        throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
                    },
                    "spawner");
            t.start();
            t.join();
        } finally {
            oom.uninstall();
            System.setErr(err);
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(
                out.startsWith(
                        "Exception in thread \"spawner\" java.lang.OutOfMemoryError: unable to create native thread"),
                out);
        assertTrue(oom.lastThreadFailureNanos() != 0, "a failed thread creation is noted for the threads check");
    }
}
