package io.hbwatch.agent.resource;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * {@code OutOfMemoryError}s anywhere in the JVM (reason {@code oom}), from two sources, neither of
 * which needs a native agent:
 *
 * <ul>
 *   <li><b>Errors that end a thread</b>, at once, with the thread's name and the error's kind: the
 *       agent's handler sits in front of the JVM's default uncaught-exception handler and hands every
 *       throwable on to the handler that was there before (or prints it as the JVM would), so the
 *       application sees no difference. It misses errors that a thread catches, and threads with a
 *       handler of their own ({@link Thread#setUncaughtExceptionHandler}), which many pools set.
 *   <li><b>The VM's own counts</b> of the errors it threw (Java heap, Metaspace, compressed class
 *       space; caught ones too), from the {@code VM.info} diagnostic command. That command writes
 *       about 50 KB, so it runs only after a collection of the old
 *       generation or the whole heap (the JVM runs one before it gives up on an allocation), while
 *       some memory pool is at least 80% full ({@link MemoryPools}), or right after an error was
 *       seen; at most once per periodic check. It
 *       counts every error the VM throws, "unable to create native thread" among them (under the
 *       heap's count); it does not count those thrown by Java code ({@code new OutOfMemoryError()},
 *       as the JDK does for direct buffer memory).
 * </ul>
 *
 * <p>A finding is held for {@code oomHold} (1 min) after the last error. What it reports is built
 * when memory is short, so every step that allocates falls back to a finding made in advance.
 *
 * <p>Thread-safe.
 */
public final class OomWatch implements Health.Check, Health.Contributor {
    /** A pool at least this full makes the VM's counts worth reading. */
    private static final int COUNT_WHEN_PERCENT = 80;

    private static final String MBEAN = "com.sun.management:type=DiagnosticCommand";
    private static final String[] COUNTERS = {"java_heap_errors", "metaspace_errors", "class_metaspace_errors"};
    private static final String[] KINDS = {"Java heap space", "Metaspace", "Compressed class space"};

    /** Made in advance: what is reported when the words cannot be built. */
    private final Finding fallback = new Finding(
            Status.DEGRADED, Reason.OOM, "an OutOfMemoryError was thrown (memory is too short to say more)");

    private final long holdNanos;
    private final MemoryPools pools;

    private volatile long count;
    private volatile long lastNanos;
    private volatile boolean seen;
    private volatile Finding finding;
    /** The last error's words, "unable to create native thread" and the like, for {@link #lastKind}. */
    private volatile String lastKind = "";

    private volatile long lastThreadFailureNanos;
    /** The VM's counts when last read; zeros at first, which is right for {@code -javaagent}. */
    private final long[] vmCounts = new long[COUNTERS.length];

    private boolean countsRead;
    private Handler handler;
    private volatile boolean readSoon;
    /** Errors the handler saw that the VM counts too (all but those Java code throws), and at the last read. */
    private volatile long handledVmCounted;

    private long handledVmCountedAtRead;

    /**
     * @param holdMs how long the finding lasts after the last error, in milliseconds
     * @param pools the memory figures that say when the VM's counts are worth reading
     * @param countsFromZero true with {@code -javaagent} (nothing could have happened before), false
     *     when attached to a running JVM: its errors from before the agent are not reported
     */
    public OomWatch(long holdMs, MemoryPools pools, boolean countsFromZero) {
        this.holdNanos = Math.max(1, holdMs) * 1_000_000L;
        this.pools = pools;
        countsRead = countsFromZero;
    }

    /** Puts the handler in front of the JVM's default one. */
    public synchronized void install() {
        handler = new Handler(this, Thread.getDefaultUncaughtExceptionHandler());
        Thread.setDefaultUncaughtExceptionHandler(handler);
    }

    /** Puts the handler that was there before back, unless the application has set another since. */
    public synchronized void uninstall() {
        Handler h = handler;
        if (h != null && Thread.getDefaultUncaughtExceptionHandler() == h) {
            Thread.setDefaultUncaughtExceptionHandler(h.before);
        }
        handler = null;
    }

    /** An error that ended a thread. */
    void thrown(Thread thread, OutOfMemoryError e) {
        long now = System.nanoTime();
        count++;
        lastNanos = now;
        seen = true;
        readSoon = true;
        Finding f = fallback;
        try {
            String kind = e.getMessage() == null ? "no message" : e.getMessage();
            lastKind = kind;
            if (kind.contains("native thread")) {
                lastThreadFailureNanos = now;
            }
            if (!kind.contains("direct buffer")) {
                handledVmCounted++;
            }
            f = new Finding(
                    Status.DEGRADED,
                    Reason.OOM,
                    "OutOfMemoryError (" + Words.clip(kind, 120) + ") ended thread \""
                            + Words.clip(thread.getName(), 80) + "\"; " + count + (count == 1 ? " error" : " errors")
                            + " seen");
        } catch (Throwable ignored) {
            // the error itself: memory too short for the words
        }
        finding = f;
    }

    /** The watchdog's periodic check: reads the VM's counts when memory is short, and ends the hold. */
    public void check() {
        long now = System.nanoTime();
        boolean major = pools.takeMajorCollection();
        if (readSoon || major || pools.fullestPercent() >= COUNT_WHEN_PERCENT) {
            readSoon = false;
            readVmCounts(now);
        }
        if (seen && now - lastNanos > holdNanos) {
            seen = false;
            finding = null;
        }
    }

    private void readVmCounts(long now) {
        String info;
        try {
            info = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(new ObjectName(MBEAN), "vmInfo", new Object[] {null}, new String[] {String[].class.getName()
                    });
        } catch (Throwable e) { // an OutOfMemoryError too: try again at the next check
            return;
        }
        long added = 0;
        String kind = null;
        for (int i = 0; i < COUNTERS.length; i++) {
            long n = counter(info, COUNTERS[i]);
            if (n > vmCounts[i]) {
                added += n - vmCounts[i];
                kind = KINDS[i];
            }
            vmCounts[i] = n;
        }
        boolean first = !countsRead;
        countsRead = true;
        // What the handler saw since the last read is in the VM's counts too: only the rest is new.
        long handled = handledVmCounted;
        added -= handled - handledVmCountedAtRead;
        handledVmCountedAtRead = handled;
        if (!first && added > 0) {
            count += added;
            long total = count;
            lastNanos = now;
            seen = true;
            Finding f = fallback;
            try {
                f = new Finding(
                        Status.DEGRADED,
                        Reason.OOM,
                        "the VM threw " + added + " OutOfMemoryError"
                                + (added == 1 ? "" : "s") + " (" + kind + ") in a thread that caught "
                                + (added == 1 ? "it" : "them") + "; " + total + " seen");
            } catch (Throwable ignored) {
                // memory too short for the words
            }
            finding = f;
        }
    }

    /** {@code NAME=N} in {@code VM.info}'s "OutOfMemory and StackOverflow Exception counts"; 0 when absent. */
    static long counter(String info, String name) {
        int at = info.indexOf(" " + name + "=");
        if (at < 0) {
            return 0;
        }
        int from = at + name.length() + 2;
        int to = from;
        while (to < info.length() && Character.isDigit(info.charAt(to))) {
            to++;
        }
        try {
            return Long.parseLong(info.substring(from, to));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Errors seen since the start (or the attach). */
    public long count() {
        return count;
    }

    /** When a thread last could not be created ({@link System#nanoTime()}), or 0 if never. */
    public long lastThreadFailureNanos() {
        return lastThreadFailureNanos;
    }

    /** The last error's message, such as {@code Java heap space}; empty when none. */
    public String lastKind() {
        return lastKind;
    }

    @Override
    public Finding current() {
        return finding;
    }

    /** Writes {@code oomCount} once there has been an error. */
    @Override
    public void writeTo(JsonLine beat) {
        long n = count;
        if (n > 0) {
            beat.field(Protocol.F_OOM_COUNT, n);
        }
    }

    /**
     * The handler in front of the JVM's default one: notes an {@code OutOfMemoryError}, then does
     * exactly what would have happened without it.
     */
    private static final class Handler implements Thread.UncaughtExceptionHandler {
        private final OomWatch watch;
        private final Thread.UncaughtExceptionHandler before;

        Handler(OomWatch watch, Thread.UncaughtExceptionHandler before) {
            this.watch = watch;
            this.before = before;
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            if (e instanceof OutOfMemoryError) {
                try {
                    watch.thrown(t, (OutOfMemoryError) e);
                } catch (Throwable ignored) {
                    // never in the way of the application's own handling
                }
            }
            if (before != null) {
                before.uncaughtException(t, e);
            } else if (!"java.lang.ThreadDeath".equals(e.getClass().getName())) {
                // What ThreadGroup.uncaughtException prints when there is no default handler (it
                // cannot be called: it would find this handler and call it again).
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace(System.err);
            }
        }
    }
}
