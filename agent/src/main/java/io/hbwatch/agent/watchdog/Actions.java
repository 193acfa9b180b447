package io.hbwatch.agent.watchdog;

import io.hbwatch.agent.util.Log;
import java.io.IOException;
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

    private final Path dumpDir;

    /** @param dumpDir where dumps go; {@code null} for {@code java.io.tmpdir} */
    public Actions(Path dumpDir) {
        this.dumpDir = dumpDir != null ? dumpDir : Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Performs {@code action} for a finding already logged.
     *
     * @param what one word for file names and messages: {@code deadlock} or {@code stall}
     * @param summary the sentence already logged, repeated before a halt
     */
    public void perform(Action action, String what, String summary) {
        if (action.kind() == Action.Kind.LOG) {
            return;
        }
        Path file = writeDump(what);
        if (action.kind() == Action.Kind.EXIT) {
            Log.warn("on" + Character.toUpperCase(what.charAt(0)) + what.substring(1) + "=" + action
                    + ": halting the JVM with status " + action.exitCode() + " after " + what + ": " + summary);
            System.err.flush();
            // halt, not exit: shutdown hooks could wait forever on the very locks that are stuck.
            Runtime.getRuntime().halt(action.exitCode());
        }
    }

    /** Writes a full thread dump to {@code hbwatch-WHAT-PID-TIME.txt}; returns it, or null when it failed (logged). */
    Path writeDump(String what) {
        Path file = dumpDir.resolve("hbwatch-" + what + "-"
                + ProcessHandle.current().pid() + "-" + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + ".txt");
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
