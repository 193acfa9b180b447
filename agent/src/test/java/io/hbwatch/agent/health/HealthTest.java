package io.hbwatch.agent.health;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthTest {
    @Test
    void whatFollowsTheBeatGetsTheBeatsAnswerAndAFreshOneOnceItIsOld() throws Exception {
        Health health = new Health();
        Finding deadlock = new Finding(Status.DEGRADED, Reason.DEADLOCK, "a and b");
        AtomicReference<Finding> now = new AtomicReference<>(deadlock);
        health.register(now::get);
        assertSame(deadlock, health.worst()); // the beat asks
        now.set(null); // and the deadlock ends right after it
        assertSame(deadlock, health.recentWorst(60_000_000_000L), "the beat's own answer");
        Thread.sleep(2);
        assertNull(health.recentWorst(1_000_000L), "too old: the checks are asked again");
        assertNull(health.recentWorst(60_000_000_000L), "and that is now the latest answer");
    }
}
