package io.hbwatch.testing.apps;

import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * A watched app whose {@code main} ends at once: the JVM must exit as it would without the agent.
 * {@code ExitApp [CODE [FILE [exit]]]}: first waits (up to 30 s) for FILE to exist, if given; prints
 * {@code app: done}; then returns normally when CODE is absent or 0, or calls {@code
 * System.exit(CODE)} (also for 0 when {@code exit} is given).
 */
public final class ExitApp {
    private ExitApp() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 1) {
            for (int i = 0; i < 3000 && !Files.exists(Paths.get(args[1])); i++) {
                Thread.sleep(10);
            }
        }
        System.out.println("app: done");
        int code = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        if (code != 0 || (args.length > 2 && args[2].equals("exit"))) {
            System.exit(code);
        }
    }
}
