package io.hbwatch.testing.apps;

import java.time.Instant;

/**
 * For benchmarks: prints {@code app: main at <epoch microseconds>} as the first thing {@code main}
 * does, then returns, or with the argument {@code stay} sleeps until killed.
 */
public final class TimedApp {
    private TimedApp() {}

    public static void main(String[] args) throws InterruptedException {
        Instant now = Instant.now();
        System.out.println("app: main at " + (now.getEpochSecond() * 1_000_000L + now.getNano() / 1000));
        System.out.flush();
        if (args.length > 0 && args[0].equals("stay")) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
