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

    @Test
    void manyLongNamesStayWellWithinABeat() throws Exception {
        DeadlockCheck check = new DeadlockCheck(Action.LOG, new Actions(null));
        String[] names = new String[12];
        for (int i = 0; i < names.length; i++) {
            names[i] = "dl-long-" + (char) ('a' + i) + "-" + "x".repeat(300);
        }
        Thread[] ring = deadlock(names);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> check.check().length, n -> n == 12);
            JsonLine beat = new JsonLine();
            check.writeTo(beat);
            beat.field("detail", check.current().detail());
            String json = beat.toJson();
            assertTrue(json.length() < 1500, json.length() + ": " + json);
            assertTrue(
                    check.current().detail().startsWith("12 threads deadlocked: "),
                    check.current().detail());
            assertTrue(
                    check.current().detail().endsWith("...\" and 8 more"),
                    check.current().detail());
            assertEquals(12, check.deadlockedThreads().size(), "the MBean names them all");
            @SuppressWarnings("unchecked")
            List<String> inBeat = (List<String>)
                    io.hbwatch.protocol.JsonParser.parseObject(json).get(io.hbwatch.protocol.Protocol.F_DEADLOCKED);
            assertEquals(8, inBeat.size());
            assertTrue(inBeat.stream().allMatch(n -> n.length() == 80 && n.endsWith("...")), inBeat.toString());
        } finally {
            ring[0].interrupt();
            for (Thread t : ring) {
                t.join(10_000);
            }
        }
    }

    /**
     * Threads in a ring, each holding its own lock and waiting for the next one's; interrupt the
     * first to undo it.
     */
    static Thread[] deadlock(String... names) throws InterruptedException {
        int n = names.length;
        ReentrantLock[] locks = new ReentrantLock[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new ReentrantLock();
        }
        CountDownLatch allHold = new CountDownLatch(n);
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            ReentrantLock mine = locks[i];
            ReentrantLock next = locks[(i + 1) % n];
            threads[i] = new Thread(() -> crossLock(mine, next, allHold), names[i]);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        allHold.await();
        return threads;
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
