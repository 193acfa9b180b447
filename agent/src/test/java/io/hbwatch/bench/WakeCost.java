package io.hbwatch.bench;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What a thread that only wakes and sleeps again costs, per wake-up, at several periods at once
 * (one thread each, as the pause sampler is): the floor under every periodic thread of the agent.
 * CPU from {@code /proc/self/task/TID/schedstat} (Linux). Run through {@code bench/beat-path.sh}.
 *
 * <p>Arguments: the window in seconds, then the periods in milliseconds.
 */
public final class WakeCost {
    private WakeCost() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int n = args.length - 1;
        long[] periods = new long[n];
        long[] tids = new long[n];
        for (int i = 0; i < n; i++) {
            periods[i] = Long.parseLong(args[i + 1]);
            int at = i;
            Thread t = new Thread(() -> {
                tids[at] = currentTid();
                long periodNanos = periods[at] * 1_000_000L;
                while (true) {
                    LockSupport.parkNanos(periodNanos);
                }
            });
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(3000); // every thread has its id and has woken a few times
        long[] before = new long[n];
        for (int i = 0; i < n; i++) {
            before[i] = onCpuNanos(tids[i]);
        }
        Thread.sleep(seconds * 1000L);
        for (int i = 0; i < n; i++) {
            long nanos = onCpuNanos(tids[i]) - before[i];
            double wakes = seconds * 1000.0 / periods[i];
            System.out.printf(
                    Locale.ROOT,
                    "a thread waking every %d ms: %.4f%% of a core, %.1f us per wake-up (%d s)%n",
                    periods[i],
                    100.0 * nanos / (seconds * 1e9),
                    nanos / wakes / 1000.0,
                    seconds);
        }
    }

    private static long currentTid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Paths.get("/proc/thread-self"))
                    .getFileName()
                    .toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long onCpuNanos(long tid) throws java.io.IOException {
        return Long.parseLong(Files.readString(Paths.get("/proc/self/task/" + tid + "/schedstat"))
                .split(" ")[0]);
    }
}
