package io.hbwatch.agent.watchdog;

import io.hbwatch.agent.util.Log;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Carries out an {@link Action} once a finding first appears. Runs on the watchdog's own threads,
 * never on the beat thread (a dump takes a safepoint and file I/O). Thread-safe.
 */
public final class Actions {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    /** At most one heap dump per this many milliseconds in a JVM: each is as large as the heap. */
    public static final long HEAP_DUMP_EVERY_MS = 10 * 60_000L;

    private final Path dumpDir;
    private long lastHeapDumpNanos;

    /** @param dumpDir where dumps go; {@code null} for {@code java.io.tmpdir} */
    public Actions(Path dumpDir) {
        this.dumpDir = dumpDir != null ? dumpDir : Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Performs {@code action} for a finding already logged.
     *
     * @param what one word for file names and messages: {@code deadlock}, {@code stall}, {@code gc}, {@code oom}
     * @param summary the sentence already logged, repeated before a halt
     */
    public void perform(Action action, String what, String summary) {
        if (action.kind() == Action.Kind.LOG) {
            return;
        }
        if (action.kind() == Action.Kind.HEAPDUMP) {
            writeHeapDump(what);
            return;
        }
        writeDump(what);
        if (action.kind() == Action.Kind.EXIT) {
            Log.warn("on" + Character.toUpperCase(what.charAt(0)) + what.substring(1) + "=" + action
                    + ": halting the JVM with status " + action.exitCode() + " after " + what + ": " + summary);
            System.err.flush();
            // halt, not exit: shutdown hooks could wait forever on the very locks that are stuck.
            Runtime.getRuntime().halt(action.exitCode());
        }
    }

    /**
     * Writes a heap dump to {@code hbwatch-WHAT-PID-TIME.hprof}, unless one was written less than
     * {@link #HEAP_DUMP_EVERY_MS} ago or the disk is short; returns it, or null (logged).
     */
    Path writeHeapDump(String what) {
        long now = System.nanoTime();
        synchronized (this) {
            if (lastHeapDumpNanos != 0 && now - lastHeapDumpNanos < HEAP_DUMP_EVERY_MS * 1_000_000L) {
                Log.warn(what + ": no heap dump: one was written less than " + HEAP_DUMP_EVERY_MS / 60_000
                        + " minutes ago");
                return null;
            }
            lastHeapDumpNanos = now;
        }
        Path file = dumpDir.resolve(fileName(what, ".hprof"));
        try {
            Files.createDirectories(dumpDir);
            Runtime rt = Runtime.getRuntime();
            long inUse = rt.totalMemory() - rt.freeMemory();
            long free = Files.getFileStore(dumpDir).getUsableSpace();
            if (free < inUse) {
                Log.warn(what + ": no heap dump: " + dumpDir + " has " + free / (1024 * 1024)
                        + " MiB free, the heap holds " + inUse / (1024 * 1024) + " MiB");
                return null;
            }
            ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpHeap(file.toString(), false);
            Log.warn(what + ": heap dump written to " + file);
            return file;
        } catch (IOException | RuntimeException | LinkageError e) {
            Log.warn(what + ": cannot write a heap dump to " + file + ": " + Log.describe(e));
            return null;
        }
    }

    private static String fileName(String what, String suffix) {
        return "hbwatch-" + what + "-" + ProcessHandle.current().pid() + "-"
                + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + suffix;
    }

    /** Writes a full thread dump to {@code hbwatch-WHAT-PID-TIME.txt}; returns it, or null when it failed (logged). */
    Path writeDump(String what) {
        Path file = dumpDir.resolve(fileName(what, ".txt"));
        try {
            Files.createDirectories(dumpDir);
            Files.write(file, ThreadDumps.all().getBytes(StandardCharsets.UTF_8));
            Log.warn(what + ": thread dump written to " + file);
            return file;
        } catch (IOException | RuntimeException e) {
            Log.warn(what + ": cannot write a thread dump to " + file + ": " + Log.describe(e));
            return null;
        }
    }
}
