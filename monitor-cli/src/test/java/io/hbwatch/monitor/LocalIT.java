package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.Executable;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.Signals;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every JVM of the host found through the agents' registry: {@code pid:PID} and {@code pid:NAME}
 * with the ports each JVM really got, and {@code --local} following JVMs that start and exit. Real
 * agent JVMs on their default ports, each test with its own registry directory.
 */
class LocalIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private AgentJvm start(String... args) throws Exception {
        return AgentJvm.builder(tmp)
                .defaultPorts()
                .agentArgs("interval=200ms,registry=" + tmp.resolve("registry"))
                .main(SleepApp.class, args)
                .start();
    }

    @Test
    void pidFindsTheJvmWithItsRealPortsAndANameMustNameOne() throws Exception {
        String registry = tmp.resolve("registry").toString();
        try (AgentJvm one = start()) {
            AgentJvm.Ports ports = one.awaitPorts();
            try (Executable run = Executable.start(
                    List.of(), "pid:" + one.pid(), "--job", "all", "--count", "1", "--registry", registry)) {
                assertEquals(0, run.awaitExit(), run::toString);
                assertTrue(
                        run.out()
                                .startsWith("HBWATCH OK - 127.0.0.1:" + ports.heartbeat() + ": ping UP, hb UP, jmx UP"),
                        run::toString);
                assertTrue(
                        run.out()
                                .contains("monitor-cli: pid:" + one.pid() + " is pid " + one.pid() + " ("
                                        + SleepApp.class.getName() + "): heartbeat 127.0.0.1:" + ports.heartbeat()
                                        + ", Jolokia http://127.0.0.1:" + ports.jolokia() + "/jolokia"),
                        run::toString);
            }
            try (Executable run = Executable.start(List.of(), "pid:SleepApp", "--count", "1", "--registry", registry)) {
                assertEquals(0, run.awaitExit(), run::toString);
            }
            try (AgentJvm two = start()) {
                two.awaitPorts();
                try (Executable run =
                        Executable.start(List.of(), "pid:SleepApp", "--count", "1", "--registry", registry)) {
                    assertEquals(3, run.awaitExit(), run::toString);
                    assertEquals(
                            "monitor-cli: pid:SleepApp names 2 JVMs: pid:" + Math.min(one.pid(), two.pid()) + ", pid:"
                                    + Math.max(one.pid(), two.pid()) + "; give one of them",
                            run.err().strip());
                }
            }
        }
        try (Executable run = Executable.start(List.of(), "pid:2000000000", "--count", "1", "--registry", registry)) {
            assertEquals(3, run.awaitExit(), run::toString);
            assertTrue(run.err().startsWith("monitor-cli: no JVM registered as pid:2000000000 in "), run::toString);
            assertEquals(1, run.err().lines().count(), run::toString);
        }
    }

    @Test
    void localFollowsJvmsThatStartAndExit() throws Exception {
        String registry = tmp.resolve("registry").toString();
        try (AgentJvm one = start()) {
            int first = one.awaitPorts().heartbeat();
            try (Executable run = Executable.start(List.of(), "--local", "--format", "json", "--registry", registry)) {
                run.awaitErr("monitor-cli: found pid " + one.pid() + " (", WAIT);
                run.awaitOut("\"target\":\"127.0.0.1:" + first + "\"", WAIT);
                try (AgentJvm two = start("3")) {
                    int second = two.awaitPorts().heartbeat();
                    run.awaitErr("monitor-cli: found pid " + two.pid() + " (", WAIT);
                    run.awaitOut("\"target\":\"127.0.0.1:" + second + "\",\"subject\":\"vm\",\"state\":\"UP\"", WAIT);
                    // main returns after 3 s: a graceful stop, then the JVM is dropped
                    run.awaitOut(
                            "\"target\":\"127.0.0.1:" + second + "\",\"subject\":\"vm\",\"state\":\"DOWN\","
                                    + "\"reason\":\"shutdown\"",
                            WAIT);
                    run.awaitErr(
                            "monitor-cli: no longer watching 127.0.0.1:" + second + " (pid " + two.pid()
                                    + " exited); last: hb DOWN (shutdown)",
                            WAIT);
                }
                one.sigkill(); // its entry stays behind, stale: dropped all the same
                run.awaitErr(
                        "monitor-cli: no longer watching 127.0.0.1:" + first + " (pid " + one.pid()
                                + " exited); last: hb DOWN (",
                        WAIT);
                assertTrue(run.process().isAlive(), run::toString);
                Signals.send("TERM", run.process().pid());
                assertEquals(0, run.awaitExit(), run::toString);
            }
        }
    }

    @Test
    void localWithCountChecksEveryRegisteredJvmOnceOrSaysThereIsNone() throws Exception {
        String registry = tmp.resolve("registry").toString();
        try (Executable none = Executable.start(List.of(), "--local", "--count", "1", "--registry", registry)) {
            assertEquals(3, none.awaitExit(), none::toString);
            assertTrue(none.err().startsWith("monitor-cli: --local: no JVM registered in " + registry), none::toString);
        }
        try (AgentJvm one = start();
                AgentJvm two = start()) {
            one.awaitPorts();
            two.awaitPorts();
            try (Executable run = Executable.start(List.of(), "--local", "--count", "1", "--registry", registry)) {
                assertEquals(0, run.awaitExit(), run::toString);
                assertTrue(run.out().startsWith("HBWATCH OK - 2 targets: 2 UP |"), run::toString);
            }
        }
    }
}
