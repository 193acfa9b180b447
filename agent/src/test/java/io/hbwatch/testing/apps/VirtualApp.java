package io.hbwatch.testing.apps;

import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Virtual threads in trouble, for Java 21 and later (started through reflection: the tests compile
 * for 17). {@code args[0]}: {@code lock} (virtual threads {@code vt-a} and {@code vt-b} deadlock on
 * two {@code ReentrantLock}s), {@code monitor} (on two monitors) or {@code carriers} (busy virtual
 * threads take every carrier while others wait to run). Prints {@code app: ready} when it is so.
 */
public final class VirtualApp {
    private VirtualApp() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "lock": {
                ReentrantLock one = new ReentrantLock();
                ReentrantLock two = new ReentrantLock();
                CountDownLatch both = new CountDownLatch(2);
                virtual("vt-a", () -> locks(one, two, both));
                virtual("vt-b", () -> locks(two, one, both));
                both.await();
                break;
            }
            case "monitor": {
                Object one = new Object();
                Object two = new Object();
                CountDownLatch both = new CountDownLatch(2);
                virtual("vt-a", () -> monitors(one, two, both));
                virtual("vt-b", () -> monitors(two, one, both));
                both.await();
                break;
            }
            case "carriers": {
                int carriers = Runtime.getRuntime().availableProcessors();
                for (int i = 0; i < carriers; i++) {
                    virtual("busy-" + i, VirtualApp::spin);
                }
                Thread.sleep(200);
                for (int i = 0; i < 5; i++) {
                    virtual("waiting-" + i, () -> System.out.println("app: ran, so not starved"));
                }
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
        Thread.sleep(300); // let the last ones reach their wait
        System.out.println("app: ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void virtual(String name, Runnable task) throws ReflectiveOperationException {
        Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
        Thread t = (Thread) start.invoke(null, (Runnable) () -> {
            Thread.currentThread().setName(name);
            task.run();
        });
        if (t == null) {
            throw new IllegalStateException("no virtual thread");
        }
    }

    private static void locks(ReentrantLock first, ReentrantLock second, CountDownLatch both) {
        first.lock();
        both.countDown();
        awaitQuietly(both);
        second.lock();
    }

    private static void monitors(Object first, Object second, CountDownLatch both) {
        synchronized (first) {
            both.countDown();
            awaitQuietly(both);
            synchronized (second) {
                System.out.println("app: not deadlocked after all");
            }
        }
    }

    private static void spin() {
        long x = 0;
        while (x != -1) {
            x += System.nanoTime() & 1;
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
