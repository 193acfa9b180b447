package io.hbwatch.testing.apps;

/**
 * A watched app for tests: prints {@code app: started}, then sleeps for {@code args[0]} seconds
 * (forever when absent) and returns normally.
 */
public final class SleepApp {
    private SleepApp() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("app: started");
        System.out.flush();
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : Long.MAX_VALUE / 1000;
        Thread.sleep(seconds * 1000);
        System.out.println("app: done");
    }
}
