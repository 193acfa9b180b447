package io.hbwatch.testing.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A watched app whose threads {@code deadlock-a} and {@code deadlock-b} deadlock at once:
 * {@code args[0]} is {@code monitor} (two {@code synchronized} blocks, for good) or {@code lock}
 * (two {@link ReentrantLock}s taken with {@code lockInterruptibly}: the line {@code release} on
 * stdin interrupts one thread and ends the deadlock). Prints {@code app: deadlocked}, then {@code
 * app: released}.
 */
public final class DeadlockApp {
    private DeadlockApp() {}

    public static void main(String[] args) throws Exception {
        boolean monitors = args.length == 0 || args[0].equals("monitor");
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread a;
        Thread b;
        if (monitors) {
            Object one = new Object();
            Object two = new Object();
            a = new Thread(() -> monitors(one, two, bothHold), "deadlock-a");
            b = new Thread(() -> monitors(two, one, bothHold), "deadlock-b");
        } else {
            ReentrantLock one = new ReentrantLock();
            ReentrantLock two = new ReentrantLock();
            a = new Thread(() -> locks(one, two, bothHold), "deadlock-a");
            b = new Thread(() -> locks(two, one, bothHold), "deadlock-b");
        }
        a.setDaemon(true);
        b.setDaemon(true);
        a.start();
        b.start();
        bothHold.await();
        System.out.println("app: deadlocked");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("release") && !monitors) {
                a.interrupt();
                a.join();
                b.join();
                System.out.println("app: released");
                System.out.flush();
            }
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void monitors(Object first, Object second, CountDownLatch bothHold) {
        synchronized (first) {
            bothHold.countDown();
            awaitQuietly(bothHold);
            synchronized (second) {
                System.out.println("app: not deadlocked after all");
            }
        }
    }

    private static void locks(ReentrantLock first, ReentrantLock second, CountDownLatch bothHold) {
        first.lock();
        try {
            bothHold.countDown();
            awaitQuietly(bothHold);
            second.lockInterruptibly();
            second.unlock();
        } catch (InterruptedException e) {
            // released
        } finally {
            first.unlock();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
