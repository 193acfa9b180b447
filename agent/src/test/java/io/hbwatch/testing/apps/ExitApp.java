package io.hbwatch.testing.apps;

/** A watched app whose {@code main} returns at once: the JVM must exit as it would without the agent. */
public final class ExitApp {
    private ExitApp() {}

    public static void main(String[] args) {
        System.out.println("app: done");
    }
}
