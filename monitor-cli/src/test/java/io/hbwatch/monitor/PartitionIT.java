package io.hbwatch.monitor;

import static io.hbwatch.monitor.NetnsIT.ipCommand;
import static io.hbwatch.monitor.NetnsIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 60 s partition between the monitor and an agent JVM on a test host of its own (a network
 * namespace joined by a veth pair): DOWN {@code timeout} while it lasts, and UP again soon after
 * it heals, on a fresh connection, although the agent has long dropped the subscriber whose beats
 * could not leave; the beats its kernel kept and delivers at the heal are stale and end nothing.
 *
 * <p>The partition drops every frame both ways without touching a route: each side's neighbour
 * entry for the other points at a MAC address nobody has, so the peer veth discards the frames (as
 * a cut cable would), and no packet can take another route off this machine. Needs root and
 * iproute2; skipped with one line otherwise.
 */
class PartitionIT {
    /** A locally administered MAC address that no interface here has. */
    private static final String NOBODY = "02:00:00:00:00:01";

    @TempDir
    Path tmp;

    @Test
    void aLongPartitionHealsOnAFreshConnection() throws Exception {
        String ip = ipCommand();
        long id = ProcessHandle.current().pid() % 200 + 20;
        String ns = "hbw-part-" + id;
        String outside = "hbwp" + id + "a";
        String inside = "hbwp" + id + "b";
        String agentAddress = "10.231." + id + ".2";
        run(ip, "netns", "add", ns);
        try {
            run(ip, "link", "add", outside, "type", "veth", "peer", "name", inside);
            run(ip, "link", "set", inside, "netns", ns);
            run(ip, "addr", "add", "10.231." + id + ".1/30", "dev", outside);
            run(ip, "link", "set", outside, "up");
            run(ip, "netns", "exec", ns, ip, "addr", "add", agentAddress + "/30", "dev", inside);
            run(ip, "netns", "exec", ns, ip, "link", "set", inside, "up");
            run(ip, "netns", "exec", ns, ip, "link", "set", "lo", "up");
            Path java = tmp.resolve("java-in-" + ns);
            Files.writeString(
                    java,
                    "#!/bin/sh\nexec " + ip + " netns exec " + ns + " "
                            + Paths.get(System.getProperty("java.home"), "bin", "java") + " \"$@\"\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (AgentJvm app = AgentJvm.builder(tmp)
                            .java(java)
                            .agentArgs("host=" + agentAddress + ",interval=100ms")
                            .main(SleepApp.class)
                            .start();
                    BackgroundRun monitor = new BackgroundRun(
                            agentAddress + ":" + app.awaitPorts().heartbeat(), "--format", "json")) {
                monitor.awaitOut("\"state\":\"UP\"");
                String hostAddress = "10.231." + id + ".1";
                run(ip, "neigh", "replace", agentAddress, "lladdr", NOBODY, "nud", "permanent", "dev", outside);
                run(
                        ip,
                        "netns",
                        "exec",
                        ns,
                        ip,
                        "neigh",
                        "replace",
                        hostAddress,
                        "lladdr",
                        NOBODY,
                        "nud",
                        "permanent",
                        "dev",
                        inside);
                monitor.awaitOut("\"reason\":\"timeout\"");
                Thread.sleep(60_000); // the partition under test: a minute, well past the agent's buffers
                run(ip, "neigh", "del", agentAddress, "dev", outside);
                run(ip, "netns", "exec", ns, ip, "neigh", "del", hostAddress, "dev", inside);
                monitor.awaitOut("beats resumed after");
                CliRun done = monitor.stop();
                List<String> states = done.states();
                // One outage: UP, DOWN (timeout, maybe then closed when the dead connection ends), UP.
                assertEquals("UP null", states.get(0), done::toString);
                assertEquals("UP null", states.get(states.size() - 1), done::toString);
                assertEquals(
                        1, states.stream().filter(st -> st.startsWith("UP")).count() - 1, done::toString);
                assertTrue(done.out().lines().noneMatch(l -> l.contains("\"flapping\"")), done::toString);
                Map<String, Object> healed = done.events().get(states.size() - 1);
                String detail = healed.get("detail").toString();
                assertTrue(detail.contains("on a new connection"), done::toString);
                assertTrue(detail.contains("the agent measured no pause in its JVM"), done::toString);
            }
        } finally {
            run(ip, "link", "del", outside);
            run(ip, "netns", "del", ns);
        }
    }
}
