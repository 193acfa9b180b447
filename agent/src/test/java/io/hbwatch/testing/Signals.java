package io.hbwatch.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends real POSIX signals to real processes (SIGSTOP, SIGCONT, SIGKILL) for tests. */
public final class Signals {
    private Signals() {}

    public static void stop(long pid) {
        send("STOP", pid);
    }

    public static void cont(long pid) {
        send("CONT", pid);
    }

    public static void kill(long pid) {
        send("KILL", pid);
    }

    /** Sends {@code SIG<name>} through the shell's builtin {@code kill}, present on every POSIX system. */
    public static void send(String name, long pid) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "kill -" + name + " " + pid)
                    .redirectErrorStream(true)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed: "
                        + new String(p.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code sleep SECONDS}: a real non-Java process to watch. */
    public static Process sleep(long seconds) {
        try {
            return new ProcessBuilder("sleep", Long.toString(seconds)).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
