package io.hbwatch.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.Executable;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.Signals;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP rereads {@code --targets} in the shipped executable, with real agent JVMs: added targets
 * start, removed ones stop with their last state said, unchanged ones keep their state, and a broken
 * file changes nothing.
 */
class ReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void sighupAddsRemovesAndKeepsTargetsAndSurvivesABrokenFile() throws Exception {
        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        try (AgentJvm a = AgentJvm.builder(tmp.resolve("a"))
                        .agentArgs("interval=200ms")
                        .main(SleepApp.class)
                        .start();
                AgentJvm b = AgentJvm.builder(tmp.resolve("b"))
                        .agentArgs("interval=200ms")
                        .main(SleepApp.class)
                        .start()) {
            String targetA = "127.0.0.1:" + a.awaitPorts().heartbeat();
            String targetB = "127.0.0.1:" + b.awaitPorts().heartbeat();
            Path file = tmp.resolve("fleet.txt");
            Files.writeString(file, targetA + "\n");
            try (Executable run =
                    Executable.start(List.of(), "--targets", file.toString(), "--format", "json", "--verbose")) {
                run.awaitOut("\"target\":\"" + targetA + "\"", WAIT);
                long pid = run.process().pid();

                Files.writeString(file, "# two now\n" + targetA + "\n" + targetB + "\n");
                Signals.send("HUP", pid);
                run.awaitErr("reloaded " + file + ": 2 targets (1 added, 0 removed, 0 changed, 1 unchanged)", WAIT);
                run.awaitOut("\"target\":\"" + targetB + "\"", WAIT);
                // A kept its history: its first beat was said once, before the reload
                assertEquals(
                        1,
                        run.out()
                                .lines()
                                .filter(l -> l.contains(targetA) && l.contains("first beat"))
                                .count(),
                        run::toString);

                Files.writeString(file, targetA + " --no-such-option\n");
                Signals.send("HUP", pid);
                run.awaitErr("monitor-cli: reload failed: " + file + ":1: ", WAIT);
                assertTrue(run.err().contains("; the 2 targets of before run on"), run::toString);

                Files.writeString(file, targetB + "\n");
                Signals.send("HUP", pid);
                run.awaitErr(
                        "monitor-cli: no longer watching " + targetA + " (removed from " + file + "); last: hb UP",
                        WAIT);
                int cut = run.out().length();
                a.sigkill();
                // B beats on (every check is printed with --verbose); A's death is no event any more
                await().atMost(WAIT)
                        .until(() -> count(run.out().substring(cut), "\"target\":\"" + targetB + "\"") >= 15);
                assertFalse(run.out().substring(cut).contains(targetA), run::toString);
                assertTrue(run.process().isAlive(), run::toString);

                Signals.send("TERM", pid);
                assertEquals(0, run.awaitExit(), run::toString);
                assertTrue(run.err().contains(targetB), run::toString);
                String summary = run.err().substring(run.err().lastIndexOf("--- "));
                assertFalse(summary.contains(targetA), summary);
            }
        }
    }

    @Test
    void sighupWithoutATargetsFileIsOneLineAndTheRunGoesOn() throws Exception {
        try (AgentJvm a = AgentJvm.builder(tmp)
                .agentArgs("interval=200ms")
                .main(SleepApp.class)
                .start()) {
            String target = "127.0.0.1:" + a.awaitPorts().heartbeat();
            try (Executable run = Executable.start(List.of(), target, "--format", "json")) {
                run.awaitOut("\"state\":\"UP\"", WAIT);
                Signals.send("HUP", run.process().pid());
                run.awaitErr("monitor-cli: SIGHUP: no --targets file to reload; going on", WAIT);
                assertTrue(run.process().isAlive(), run::toString);
                Signals.send("TERM", run.process().pid());
                assertEquals(0, run.awaitExit(), run::toString);
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void underNohupTheMonitorSaysThatSighupCannotReloadItsTargets() throws Exception {
        try (AgentJvm a = AgentJvm.builder(tmp)
                .agentArgs("interval=200ms")
                .main(SleepApp.class)
                .start()) {
            String target = "127.0.0.1:" + a.awaitPorts().heartbeat();
            Path file = Files.writeString(tmp.resolve("fleet.txt"), target + "\n");
            try (Executable run =
                    Executable.start(List.of("nohup"), "--targets", file.toString(), "--format", "json")) {
                run.awaitErr("monitor-cli: SIGHUP is ignored in this process (started under nohup?)", WAIT);
                run.awaitOut("\"state\":\"UP\"", WAIT); // and it watches on
                Signals.send("TERM", run.process().pid());
                assertEquals(0, run.awaitExit(), run::toString);
            }
        }
    }
}
