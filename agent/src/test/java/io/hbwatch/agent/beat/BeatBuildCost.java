package io.hbwatch.agent.beat;

import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.subject.VmSubject;
import io.hbwatch.agent.watchdog.Watchdog;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU time to build one VM beat ({@link BeatWriter#build}, no I/O) when builds are spaced as beats
 * are: at one a second the code runs interpreted, with cold caches, which is what the agent pays;
 * at one a millisecond it is compiled and hot. Run through {@code bench/beat-path.sh}; figures in
 * {@code docs/BENCHMARKS.md}, section "The agent's cost".
 *
 * <p>Arguments: the spacing in milliseconds and how many builds. Run each spacing in a JVM of its
 * own, so that the JIT starts cold each time; the agent's default options (its watchdog
 * included) are in place, as they are for a beat.
 */
public final class BeatBuildCost {
    private BeatBuildCost() {}

    public static void main(String[] args) throws Exception {
        long spacingMs = Long.parseLong(args[0]);
        int builds = Integer.parseInt(args[1]);
        Health health = new Health();
        try (Watchdog watchdog = Watchdog.start(ConfigLoader.fromAgentArgs(""), health, null, false)) {
            Feed feed = new Feed(new VmSubject(health));
            BeatWriter writer = new BeatWriter(BeatServer.newInstanceId(), 1000);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] nanos = new long[builds];
            for (int i = 0; i < builds; i++) {
                Thread.sleep(spacingMs);
                long before = threads.getCurrentThreadCpuTime();
                writer.build(feed, i, System.currentTimeMillis());
                nanos[i] = threads.getCurrentThreadCpuTime() - before;
            }
            Arrays.sort(nanos);
            System.out.printf(
                    Locale.ROOT,
                    "a beat built every %d ms: median %.1f us, 90th percentile %.1f us of CPU (%d builds, %d bytes)%n",
                    spacingMs,
                    nanos[builds / 2] / 1000.0,
                    nanos[builds * 9 / 10] / 1000.0,
                    builds,
                    feed.length);
        }
    }
}
