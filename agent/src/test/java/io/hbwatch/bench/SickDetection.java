package io.hbwatch.bench;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Beats;
import io.hbwatch.testing.Jdks;
import io.hbwatch.testing.TestCgroup;
import io.hbwatch.testing.apps.SickApp;
import io.hbwatch.testing.apps.VirtualApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For each finding of the sick-JVM watchdog, the time from the fault's start to the first beat
 * that names it, over several trials, with the agent's default options (beats every second,
 * resources read every 2 s) unless a case says otherwise. The fault's start is when the app says
 * it has done it ({@code app: ...}); the end, when the beat that names the reason arrives.
 *
 * <pre>
 * bench/sick.sh            # 10 trials of each case
 * bench/sick.sh 3 gc oom   # 3 trials of the cases whose name starts so
 * </pre>
 */
public final class SickDetection {
    private SickDetection() {}

    /** One fault: how to start the JVM and cause it, and what must be named. */
    private static final class Case {
        final String name;
        final String reason;
        final String agentArgs;
        final String[] jvmArgs;
        final String command;
        final String started;

        Case(String name, String reason, String agentArgs, String command, String started, String... jvmArgs) {
            this.name = name;
            this.reason = reason;
            this.agentArgs = agentArgs;
            this.jvmArgs = jvmArgs;
            this.command = command;
            this.started = started;
        }
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> only = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            only.add(args[i]);
        }
        List<Case> cases = List.of(
                new Case("gc spiral (G1, -Xmx64m)", "gc", "", "spiral", "app: spiralling", "-Xmx64m"),
                new Case(
                        "gc spiral (Parallel, -Xmx64m)",
                        "gc",
                        "",
                        "spiral",
                        "app: spiralling",
                        "-Xmx64m",
                        "-XX:+UseParallelGC"),
                new Case(
                        "gc: a 0.4 s full collection, pauseWarn=200ms",
                        "gc",
                        "pauseWarn=200ms",
                        "fullgc 12",
                        "app: full gc done",
                        "-Xmx3g",
                        "-XX:+UseSerialGC"),
                new Case("heap held at 94%", "heap", "", "hold 94", "app: holding", "-Xmx128m"),
                new Case("oom: a worker dies of it", "oom", "", "oom-heap", "app: worker died", "-Xmx64m"),
                new Case("oom: caught by the app", "oom", "", "oom-caught", "app: caught", "-Xmx64m"),
                new Case("oom: Metaspace", "oom", "", "oom-metaspace", "app: worker died", "-XX:MaxMetaspaceSize=48m"),
                new Case(
                        "oom: direct buffers",
                        "oom",
                        "",
                        "oom-direct",
                        "app: worker died",
                        "-XX:MaxDirectMemorySize=16m"),
                new Case(
                        "progress: calls stop (expect=...@2s)",
                        "progress",
                        "expect=" + SickApp.class.getName() + "#work@2s",
                        "stop-calls",
                        "app: stopped calls"),
                new Case("throttled: 0.1 CPU quota", "throttled", "", "spin", "app: spinning"),
                new Case("deadlock: virtual threads, locks (Java 25)", "deadlock", "", "lock", "app: ready"),
                new Case("carriers: starved (Java 25)", "carriers", "", "carriers", "app: ready"));
        Path tmp = Files.createTempDirectory("sick-bench");
        System.out.printf("%-44s %6s %8s %8s %8s%n", "case", "trials", "median", "worst", "best");
        for (Case c : cases) {
            if (!only.isEmpty() && only.stream().noneMatch(o -> c.name.startsWith(o))) {
                continue;
            }
            List<Long> ms = new ArrayList<>();
            String skipped = null;
            for (int i = 0; i < trials && skipped == null; i++) {
                StringBuilder why = new StringBuilder();
                long t;
                try {
                    t = trial(c, tmp, why);
                } catch (AssertionError e) {
                    System.out.printf("%-44s trial %d: not named within 120 beats%n", c.name, i + 1);
                    continue;
                }
                if (t < 0) {
                    skipped = why.toString();
                } else {
                    ms.add(t);
                }
            }
            if (skipped != null) {
                System.out.printf("%-44s skipped: %s%n", c.name, skipped);
                continue;
            }
            Collections.sort(ms);
            System.out.printf(
                    "%-44s %6d %6d ms %6d ms %6d ms%n",
                    c.name, ms.size(), ms.get(ms.size() / 2), ms.get(ms.size() - 1), ms.get(0));
        }
    }

    /** One trial: milliseconds from the fault's start to the beat that names it; -1 when it cannot run. */
    private static long trial(Case c, Path tmp, StringBuilder why) throws Exception {
        boolean virtual = c.name.contains("(Java 25)");
        Optional<Path> java = virtual ? Jdks.find(25) : Optional.of(Jdks.current());
        if (java.isEmpty()) {
            why.append("no Java 25 here");
            return -1;
        }
        Optional<TestCgroup> cgroup = Optional.empty();
        if (c.reason.equals("throttled")) {
            cgroup = TestCgroup.create("cpu", why);
            if (cgroup.isEmpty()) {
                return -1;
            }
            cgroup.get().set("cpu.cfs_period_us", "100000").set("cpu.cfs_quota_us", "10000");
        }
        AgentJvm.Builder b =
                AgentJvm.builder(tmp).java(java.get()).agentArgs(c.agentArgs).jvmArgs(c.jvmArgs);
        b = virtual ? b.main(VirtualApp.class, c.command) : b.main(SickApp.class);
        try (AgentJvm app = b.start()) {
            try {
                app.awaitOutput("app: ready");
                long readyNanos = System.nanoTime();
                int port = app.awaitPorts().heartbeat();
                if (cgroup.isPresent()) {
                    cgroup.get().add(app.pid());
                }
                try (BeatClient beats = BeatClient.connect(port)) {
                    if (!virtual) { // a virtual-thread app is in trouble from its start
                        Beats.await(beats, 10, Beats.status("UP"));
                    }
                    if (c.reason.equals("progress")) {
                        Beats.tell(app, "calls");
                        app.awaitOutput("app: calling");
                        Beats.await(beats, 10, Beats.status("UP"));
                    }
                    long start;
                    if (virtual) {
                        start = readyNanos; // the fault is on once the app says it is ready
                    } else {
                        Beats.tell(app, c.command);
                        app.awaitOutput(c.started);
                        start = System.nanoTime();
                    }
                    Map<String, Object> beat = Beats.await(beats, 120, Beats.degraded(c.reason));
                    if (beat == null) {
                        throw new IllegalStateException("never named");
                    }
                    return (System.nanoTime() - start) / 1_000_000L;
                }
            } finally {
                if (cgroup.isPresent()) {
                    app.sigkill();
                    app.awaitExit(Duration.ofSeconds(30));
                    cgroup.get().release(app.pid());
                    cgroup.get().close();
                }
            }
        }
    }
}
