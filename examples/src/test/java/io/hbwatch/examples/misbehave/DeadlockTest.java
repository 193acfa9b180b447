package io.hbwatch.examples.misbehave;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The deadlock is real: the JVM's own detector, which the agent's watchdog uses, finds it. */
class DeadlockTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @EnumSource(Deadlock.Kind.class)
    void theJvmFindsBothThreadsDeadlocked(Deadlock.Kind kind) {
        // The threads never end; they are daemons, so this test JVM still exits.
        Thread[] pair = Deadlock.start(kind);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadlocked(pair[0]) && deadlocked(pair[1]));
        assertTrue(pair[0].isDaemon() && pair[1].isDaemon());
    }

    private static boolean deadlocked(Thread t) {
        long[] ids = THREADS.findDeadlockedThreads();
        return ids != null && Arrays.stream(ids).anyMatch(id -> id == t.getId());
    }
}
