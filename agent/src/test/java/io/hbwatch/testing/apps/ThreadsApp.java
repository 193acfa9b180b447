package io.hbwatch.testing.apps;

import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Lists its JVM's threads, one {@code thread: NAME daemon=BOOL} line each, then returns. With an
 * argument, it first waits (up to 30 s) for that file to exist: the agent's port file, written
 * once every agent thread has started.
 */
public final class ThreadsApp {
    private ThreadsApp() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0) {
            for (int i = 0; i < 3000 && !Files.exists(Paths.get(args[0])); i++) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // let the beat thread take a turn or two
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            System.out.println("thread: " + t.getName() + " daemon=" + t.isDaemon());
        }
        System.out.println("app: done");
    }
}
