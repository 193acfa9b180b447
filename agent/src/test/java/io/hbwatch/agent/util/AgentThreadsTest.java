package io.hbwatch.agent.util;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hbwatch.agent.health.AgentThreads;
import io.hbwatch.agent.health.Finding;
import io.hbwatch.protocol.Reason;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The agent's own loops: they survive errors, and one that dies anyway is reported. */
class AgentThreadsTest {
    @Test
    void aWatchedLoopThatDiesIsReportedAndOneThatEndsOnPurposeIsNot() throws Exception {
        AgentThreads check = new AgentThreads();
        Thread ok = HbThreads.startWatched("test-ends", 0, () -> {});
        ok.join();
        assertNull(check.current(), String.valueOf(check.current()));
        Thread dies = HbThreads.startWatched("test-dies", 0, () -> {
            throw new OutOfMemoryError("for a test");
        });
        dies.join();
        try {
            Finding f = check.current();
            assertEquals(Reason.AGENT, f.reason());
            assertEquals("agent thread hbwatch-test-dies died (OutOfMemoryError)", f.detail());
        } finally {
            HbThreads.forget(dies); // other tests in this JVM start watchdogs of their own
        }
        assertNull(check.current());
    }

    @Test
    void aPeriodicTaskThatThrowsAnErrorRunsAgain() {
        AtomicInteger runs = new AtomicInteger();
        Thread t = HbThreads.startPeriodic("test-errors", 10, () -> {
            if (runs.incrementAndGet() < 3) {
                throw new OutOfMemoryError("transient");
            }
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() >= 3);
            assertEquals(true, t.isAlive());
        } finally {
            t.interrupt();
        }
    }
}
