package io.hbwatch.bench;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.Attacks;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.BeatRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What name subscriptions cost the host, for one or more agent jars side by side, interleaved:
 * {@code processes} sleeping processes more on the host, a JVM with the agent beating every 200 ms,
 * {@code names} name subscriptions (one of them {@code sleep}, found {@code processes} times), for
 * {@code seconds}; then a client subscribing to names and leaving as fast as it can for as long.
 * Prints the JVM's beat lateness (the longest gap between two beats past the interval, by the
 * agent's clock) and its CPU in each phase.
 *
 * <p>{@code java -cp agent/target/test-classes:agent/target/classes io.hbwatch.bench.NamesCost
 * [--processes 1000] [--names 64] [--seconds 20] [--rounds 2] JAR...}
 */
public final class NamesCost {
    private static final long INTERVAL_MS = 200;

    public static void main(String[] args) throws Exception {
        int processes = 1_000;
        int names = 64;
        int seconds = 20;
        int rounds = 2;
        List<Path> jars = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--processes" -> processes = Integer.parseInt(args[++i]);
                case "--names" -> names = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> jars.add(Paths.get(args[i]));
            }
        }
        List<Process> sleeps = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                sleeps.add(new ProcessBuilder("sleep", "3600").start());
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d sleeping processes more, %d name subscriptions, beats every %d ms, %d s a phase%n",
                    processes,
                    names,
                    INTERVAL_MS,
                    seconds);
            System.out.printf(
                    Locale.ROOT,
                    "%-50s %5s | %16s %12s | %16s %12s %9s%n",
                    "agent jar",
                    "round",
                    "64 names: late",
                    "CPU",
                    "churn: late",
                    "CPU",
                    "churned");
            for (int round = 1; round <= rounds; round++) {
                for (Path jar : jars) {
                    run(jar, round, names, seconds);
                }
            }
        } finally {
            for (Process p : sleeps) {
                p.destroyForcibly();
            }
        }
    }

    private static void run(Path jar, int round, int names, int seconds) throws Exception {
        Path tmp = Files.createTempDirectory("names-cost");
        System.setProperty("hbwatch.agent.jar", jar.toAbsolutePath().toString());
        List<BeatClient> watchers = new ArrayList<>();
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=" + INTERVAL_MS + "ms,maxSubscribers=200,maxPending=200,jolokia=off")
                .main(io.hbwatch.testing.apps.SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            try (BeatRecorder vm = BeatRecorder.start(port)) {
                watchers.add(BeatClient.watch(port, "sleep"));
                for (int i = 1; i < names; i++) {
                    watchers.add(BeatClient.watch(port, "no-such-process-" + i));
                }
                vm.awaitBeats(3);
                long cpu0 = cpuMillis(app.pid());
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double cpu1 = (cpuMillis(app.pid()) - cpu0) / ((System.nanoTime() - t0) / 1e6);
                long late1 = vm.maxGapMillis() - INTERVAL_MS;
                for (BeatClient w : watchers) {
                    w.close();
                }
                watchers.clear();
                try (BeatRecorder churned = BeatRecorder.start(port)) {
                    churned.awaitBeats(3);
                    Attacks churn = new Attacks(port);
                    long cpu2 = cpuMillis(app.pid());
                    long t2 = System.nanoTime();
                    churn.subscribeLoop(List.of("sleep", "java", "churn-a", "churn-b"), seconds * 1000L);
                    double cpu3 = (cpuMillis(app.pid()) - cpu2) / ((System.nanoTime() - t2) / 1e6);
                    System.out.printf(
                            Locale.ROOT,
                            "%-50s %5d | %13d ms %11.1f%% | %13d ms %11.1f%% %9d%n",
                            jar,
                            round,
                            late1,
                            100 * cpu1,
                            churned.maxGapMillis() - INTERVAL_MS,
                            100 * cpu3,
                            churn.connections.get());
                }
            }
        } finally {
            for (BeatClient w : watchers) {
                w.close();
            }
        }
    }

    /** User and system CPU of a process so far, in ms (/proc/PID/stat, clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws Exception {
        String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }
}
