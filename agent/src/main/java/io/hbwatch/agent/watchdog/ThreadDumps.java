package io.hbwatch.agent.watchdog;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Formats threads the way {@code jstack} does, without {@link ThreadInfo#toString()}'s cut at
 * eight frames. Stateless and thread-safe.
 */
public final class ThreadDumps {
    private ThreadDumps() {}

    /** Every live thread with its locks: a full thread dump. Expensive (a safepoint); never on the beat thread. */
    public static String all() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ThreadInfo[] infos =
                threads.dumpAllThreads(threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported());
        StringBuilder b = new StringBuilder(infos.length * 1024);
        for (ThreadInfo info : infos) {
            append(b, info);
        }
        return b.toString();
    }

    /** Appends one thread: header, state, frames with the monitors taken, and locked synchronizers. */
    public static void append(StringBuilder b, ThreadInfo t) {
        if (t == null) {
            return; // the thread ended meanwhile
        }
        b.append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId());
        if (t.isDaemon()) {
            b.append(" daemon");
        }
        b.append('\n').append("   java.lang.Thread.State: ").append(t.getThreadState());
        if (t.getLockName() != null) {
            b.append(" on ").append(t.getLockName());
        }
        if (t.getLockOwnerName() != null) {
            b.append(" owned by \"").append(t.getLockOwnerName()).append("\" #").append(t.getLockOwnerId());
        }
        b.append('\n');
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < stack.length; i++) {
            b.append("\tat ").append(stack[i]).append('\n');
            if (i == 0 && t.getLockInfo() != null) {
                b.append("\t- ")
                        .append(waitVerb(t))
                        .append(' ')
                        .append(t.getLockInfo())
                        .append('\n');
            }
            for (MonitorInfo m : t.getLockedMonitors()) {
                if (m.getLockedStackDepth() == i) {
                    b.append("\t- locked ").append(m).append('\n');
                }
            }
        }
        LockInfo[] syncs = t.getLockedSynchronizers();
        if (syncs.length > 0) {
            b.append("   Locked ownable synchronizers:\n");
            for (LockInfo l : syncs) {
                b.append("\t- ").append(l).append('\n');
            }
        }
        b.append('\n');
    }

    /** A stack, one frame a line, as {@code at frame}. */
    public static String stack(StackTraceElement[] frames) {
        StringBuilder b = new StringBuilder(frames.length * 64);
        for (StackTraceElement f : frames) {
            b.append("\tat ").append(f).append('\n');
        }
        return b.toString();
    }

    private static String waitVerb(ThreadInfo t) {
        switch (t.getThreadState()) {
            case BLOCKED:
                return "waiting to lock";
            case WAITING:
            case TIMED_WAITING:
                return "parking to wait for";
            default:
                return "waiting on";
        }
    }
}
