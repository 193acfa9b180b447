package io.hbwatch.testing.apps;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.ref.Reference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * For benchmarks: prints {@code app: main at <epoch microseconds>} as the first thing {@code main}
 * does, then returns, or with the argument {@code stay} sleeps until killed ({@code stay N}: holding
 * N more file descriptors open meanwhile).
 */
public final class TimedApp {
    private TimedApp() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        Instant now = Instant.now();
        System.out.println("app: main at " + (now.getEpochSecond() * 1_000_000L + now.getNano() / 1000));
        System.out.flush();
        if (args.length > 0 && args[0].equals("stay")) {
            // stay N: hold N more descriptors open, as a server holds its sockets
            List<FileInputStream> held = new ArrayList<>();
            for (int i = args.length > 1 ? Integer.parseInt(args[1]) : 0; i > 0; i--) {
                held.add(new FileInputStream("/dev/null"));
            }
            Thread.sleep(Long.MAX_VALUE);
            Reference.reachabilityFence(held); // held to the end: no cleaner closes them meanwhile
        }
    }
}
