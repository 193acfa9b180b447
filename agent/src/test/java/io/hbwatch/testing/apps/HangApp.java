package io.hbwatch.testing.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A watched app with a method to probe, {@code io.hbwatch.testing.apps.HangApp#handle}, driven by
 * lines on stdin: {@code call} runs it once quickly on thread {@code hang-worker}, {@code hang}
 * runs it until {@code release}. Prints {@code app: started}, {@code app: returned N} after each
 * call (N its result), {@code app: hanging} once a hanging call is inside the method.
 */
public final class HangApp {
    private static volatile CountDownLatch release = new CountDownLatch(0);

    private HangApp() {}

    /** The probed method: waits for {@code gate}, then returns {@code x + 1}. */
    static int handle(int x, CountDownLatch gate) throws InterruptedException {
        if (gate.getCount() > 0) {
            System.out.println("app: hanging");
            System.out.flush();
        }
        gate.await();
        return x + 1;
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line.trim()) {
                case "call":
                    run(new CountDownLatch(0));
                    break;
                case "hang":
                    release = new CountDownLatch(1);
                    run(release);
                    break;
                case "release":
                    release.countDown();
                    break;
                default:
                    System.out.println("app: unknown command " + line);
            }
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void run(CountDownLatch gate) {
        Thread t = new Thread(
                () -> {
                    try {
                        System.out.println("app: returned " + handle(41, gate));
                        System.out.flush();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "hang-worker");
        t.setDaemon(true);
        t.start();
    }
}
