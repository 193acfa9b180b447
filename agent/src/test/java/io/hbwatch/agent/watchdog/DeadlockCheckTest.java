package io.hbwatch.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real deadlocked threads in the test JVM, on {@link ReentrantLock#lockInterruptibly()} so that the
 * test can break the deadlock again (a monitor deadlock cannot be undone; the ITs cover it in a JVM
 * of its own).
 */
class DeadlockCheckTest {

    @Test
    void findsADeadlockReportsItAndClearsWhenItIsBroken(@TempDir Path dumps) throws Exception {
        DeadlockCheck check = new DeadlockCheck(Action.DUMP, new Actions(dumps));
        assertNull(check.current());
        Thread[] pair = deadlock("dl-test-a", "dl-test-b");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> check.check().length, n -> n == 2);
            Finding f = check.current();
            assertEquals(Status.DEGRADED, f.status());
            assertEquals(Reason.DEADLOCK, f.reason());
            assertTrue(f.detail().startsWith("2 threads deadlocked: \"dl-test-"), f.detail());
            assertEquals(
                    List.of("dl-test-a", "dl-test-b"),
                    check.deadlockedThreads().stream().sorted().toList());
            JsonLine beat = new JsonLine();
            check.writeTo(beat);
            assertTrue(beat.toJson().matches("\\{\"deadlocked\":\\[\"dl-test-.\",\"dl-test-.\"\\]\\}"), beat.toJson());
            try (Stream<Path> files = Files.list(dumps)) {
                List<Path> written = files.toList();
                assertEquals(1, written.size(), "dump once, when the deadlock first appears");
                String dump = Files.readString(written.get(0));
                assertTrue(dump.contains("\"dl-test-a\""), dump);
                assertTrue(dump.contains("Locked ownable synchronizers:"), dump);
            }
            check.check();
            try (Stream<Path> files = Files.list(dumps)) {
                assertEquals(1, files.count(), "the same deadlock is not dumped again");
            }
        } finally {
            pair[0].interrupt();
            pair[0].join(10_000);
            pair[1].join(10_000);
        }
        assertEquals(0, check.check().length);
        assertNull(check.current());
        assertEquals(List.of(), check.deadlockedThreads());
    }

    /** Two threads that each hold one lock and wait for the other's; interrupt the first to undo it. */
    static Thread[] deadlock(String nameA, String nameB) throws InterruptedException {
        ReentrantLock one = new ReentrantLock();
        ReentrantLock two = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread a = new Thread(() -> crossLock(one, two, bothHold), nameA);
        Thread b = new Thread(() -> crossLock(two, one, bothHold), nameB);
        a.setDaemon(true);
        b.setDaemon(true);
        a.start();
        b.start();
        bothHold.await();
        return new Thread[] {a, b};
    }

    private static void crossLock(ReentrantLock first, ReentrantLock second, CountDownLatch bothHold) {
        first.lock();
        try {
            bothHold.countDown();
            bothHold.await();
            second.lockInterruptibly();
            second.unlock();
        } catch (InterruptedException e) {
            // the way out of the deadlock
        } finally {
            first.unlock();
        }
    }
}
