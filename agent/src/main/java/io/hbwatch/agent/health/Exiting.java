package io.hbwatch.agent.health;

import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.Map;

/**
 * The JVM is exiting on purpose: {@code DOWN}, reason {@code shutdown}, from the moment the agent's
 * shutdown hook runs, so that the last beat and the MBean (through Jolokia) both say it. Why it
 * exits is read from the threads the JVM runs its shutdown on, as far as the JVM tells:
 *
 * <ul>
 *   <li>a signal: the JDK runs {@code Shutdown.exit} on a thread named {@code SIGTERM handler}
 *       ({@code SIGINT}, {@code SIGHUP} likewise);
 *   <li>{@code System.exit} or {@code Runtime.exit}: a thread with that frame (the status code is
 *       not visible to a shutdown hook on Java 17);
 *   <li>{@code main} returned and no other non-daemon thread was left: the launcher's {@code
 *       DestroyJavaVM} thread runs {@code Shutdown.shutdown}.
 * </ul>
 *
 * <p>{@code Runtime.halt} and {@code kill -9} run no hook: they stay crashes, reported {@code
 * closed} by the monitor. Thread-safe.
 */
public final class Exiting implements Health.Check {
    private volatile Finding finding;

    /** Marks the JVM as exiting with {@code why}; from now on the check reports it. */
    public Finding exiting(String why) {
        Finding f = new Finding(Status.DOWN, Reason.SHUTDOWN, "the JVM is exiting: " + why);
        finding = f;
        return f;
    }

    @Override
    public Finding current() {
        return finding;
    }

    /**
     * Why the JVM is exiting, from the threads that run the shutdown: {@code SIGTERM}, {@code
     * System.exit() in thread "main"}, {@code main returned}, or {@code cause unknown}. Call it from
     * a shutdown hook; it never throws.
     */
    public static String cause() {
        try {
            return cause(Thread.getAllStackTraces());
        } catch (RuntimeException | Error e) {
            return "cause unknown";
        }
    }

    static String cause(Map<Thread, StackTraceElement[]> threads) {
        String exitCall = null;
        boolean destroy = false;
        for (Map.Entry<Thread, StackTraceElement[]> e : threads.entrySet()) {
            String name = e.getKey().getName();
            boolean shutdown = false;
            boolean exit = false;
            for (StackTraceElement f : e.getValue()) {
                String c = f.getClassName();
                if (c.equals("java.lang.Shutdown")) {
                    shutdown = true;
                } else if ((c.equals("java.lang.Runtime") || c.equals("java.lang.System"))
                        && f.getMethodName().equals("exit")) {
                    exit = true;
                }
            }
            if (!shutdown) {
                continue;
            }
            if (name.startsWith("SIG") && name.endsWith(" handler")) {
                return name.substring(0, name.length() - " handler".length());
            }
            if (exit) {
                exitCall = "System.exit() in thread \"" + name + "\"";
            } else if (name.equals("DestroyJavaVM")) {
                destroy = true;
            }
        }
        if (exitCall != null) {
            return exitCall;
        }
        return destroy ? "main returned and no other non-daemon thread was left" : "cause unknown";
    }
}
