package io.hbwatch.examples.misbehave;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A real deadlock: two threads, {@code orders-deadlock-a} and {@code orders-deadlock-b}, take two
 * locks in opposite order. A latch makes sure each holds its first lock before reaching for the
 * second, so the deadlock happens every time, not just sometimes. The threads are daemons: the JVM
 * can still exit, but they never recover.
 */
public final class Deadlock {
    /** Which kind of lock the two threads fight over; the JVM reports both kinds. */
    public enum Kind {
        /** {@code synchronized} blocks: the classic monitor deadlock. */
        MONITOR,
        /** {@link ReentrantLock}: an ownable synchronizer, as {@code java.util.concurrent} uses. */
        LOCK
    }

    private Deadlock() {}

    /**
     * Starts the two threads and returns at once; they are deadlocked a moment later.
     *
     * @param kind which locks to use, not null
     * @return the two threads, for tests to inspect
     */
    public static Thread[] start(Kind kind) {
        CountDownLatch bothHoldFirst = new CountDownLatch(2);
        Thread a;
        Thread b;
        if (kind == Kind.MONITOR) {
            Object first = new Object();
            Object second = new Object();
            a = new Thread(() -> monitors(first, second, bothHoldFirst), "orders-deadlock-a");
            b = new Thread(() -> monitors(second, first, bothHoldFirst), "orders-deadlock-b");
        } else {
            Lock first = new ReentrantLock();
            Lock second = new ReentrantLock();
            a = new Thread(() -> locks(first, second, bothHoldFirst), "orders-deadlock-a");
            b = new Thread(() -> locks(second, first, bothHoldFirst), "orders-deadlock-b");
        }
        for (Thread t : new Thread[] {a, b}) {
            t.setDaemon(true);
            t.start();
        }
        return new Thread[] {a, b};
    }

    private static void monitors(Object mine, Object theirs, CountDownLatch bothHoldFirst) {
        synchronized (mine) {
            awaitOther(bothHoldFirst);
            synchronized (theirs) {
                throw new AssertionError("unreachable: the other thread holds this monitor");
            }
        }
    }

    private static void locks(Lock mine, Lock theirs, CountDownLatch bothHoldFirst) {
        mine.lock();
        try {
            awaitOther(bothHoldFirst);
            // lock(), not lockInterruptibly(): a deadlocked thread that cannot be interrupted.
            theirs.lock();
            theirs.unlock();
        } finally {
            mine.unlock();
        }
    }

    private static void awaitOther(CountDownLatch bothHoldFirst) {
        bothHoldFirst.countDown();
        boolean interrupted = false;
        while (true) {
            try {
                bothHoldFirst.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
