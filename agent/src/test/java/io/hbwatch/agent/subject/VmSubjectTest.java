package io.hbwatch.agent.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.protocol.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmSubjectTest {

    @Test
    void upWithTheJvmsFiguresWhenHealthHasNoFinding() throws Exception {
        Map<String, Object> b = ProcessSubjectTest.beat(new VmSubject(new Health()));
        assertEquals("UP", b.get("status"));
        assertNull(b.get("reason"));
        assertEquals(ProcessHandle.current().pid(), b.get("pid"));
        assertTrue((Long) b.get("threads") > 0);
        assertTrue((Long) b.get("heapUsed") > 0);
        assertTrue((Long) b.get("uptime") >= 0);
        assertEquals(System.getProperty("java.vm.name"), b.get("jvm"));
    }

    @Test
    void theWorstFindingAndEveryContributionGoIntoTheBeat() throws Exception {
        Health health = new Health();
        health.register(() -> new Finding(Status.DEGRADED, "pause", "a 700 ms pause"));
        health.register(() -> new Finding(Status.DOWN, "deadlock", "2 threads deadlocked"));
        health.register(beat -> beat.field("extra", 7));
        Map<String, Object> b = ProcessSubjectTest.beat(new VmSubject(health));
        assertEquals("DOWN", b.get("status"));
        assertEquals("deadlock", b.get("reason"));
        assertEquals("2 threads deadlocked", b.get("detail"));
        assertEquals(7L, b.get("extra"));
    }
}
