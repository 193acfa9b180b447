package io.hbwatch.agent.watchdog;

import java.util.Locale;

/**
 * What the watchdog does, beyond turning the beat DEGRADED, when it first sees a deadlock or a
 * stall: the value of {@code onDeadlock} and {@code onStall}. Immutable.
 *
 * <ul>
 *   <li>{@code log}: one {@code hbwatch:} line on stderr (a deadlock also prints its threads).
 *   <li>{@code dump}: that, and a full thread dump written to a file in {@code dumpDir}.
 *   <li>{@code heapdump}: that, and a heap dump ({@code .hprof}, all objects, no extra collection)
 *       in {@code dumpDir}: at most one per {@link Actions#HEAP_DUMP_EVERY_MS} in a JVM, and none
 *       when the disk has less free space than the heap in use. Writing it stops the JVM for as
 *       long as writing the heap takes.
 *   <li>{@code exit=CODE}: that, then {@link Runtime#halt(int)} with CODE so that a supervisor
 *       restarts the JVM. Shutdown hooks do not run (they could wait on the very locks that are
 *       stuck); unflushed data is lost. Never the default.
 * </ul>
 */
public final class Action {
    /** The kinds of action, mildest first. */
    public enum Kind {
        LOG,
        DUMP,
        HEAPDUMP,
        EXIT
    }

    public static final Action LOG = new Action(Kind.LOG, 0);
    public static final Action DUMP = new Action(Kind.DUMP, 0);
    public static final Action HEAPDUMP = new Action(Kind.HEAPDUMP, 0);

    private final Kind kind;
    private final int exitCode;

    private Action(Kind kind, int exitCode) {
        this.kind = kind;
        this.exitCode = exitCode;
    }

    /**
     * Parses {@code log}, {@code dump}, {@code heapdump} or {@code exit=CODE} (CODE from 0 to 255).
     *
     * @throws IllegalArgumentException with a message that completes "KEY: 'TEXT' ..."
     */
    public static Action parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("log")) {
            return LOG;
        }
        if (t.equals("dump")) {
            return DUMP;
        }
        if (t.equals("heapdump")) {
            return HEAPDUMP;
        }
        if (t.startsWith("exit=")) {
            try {
                int code = Integer.parseInt(t.substring("exit=".length()).trim());
                if (code >= 0 && code <= 255) {
                    return new Action(Kind.EXIT, code);
                }
            } catch (NumberFormatException e) {
                // the one message below
            }
            throw new IllegalArgumentException("has no exit code from 0 to 255, like exit=70");
        }
        throw new IllegalArgumentException("is not log, dump, heapdump or exit=CODE");
    }

    public Kind kind() {
        return kind;
    }

    /** The status the JVM halts with; meaningful only for {@link Kind#EXIT}. */
    public int exitCode() {
        return exitCode;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Action && ((Action) o).kind == kind && ((Action) o).exitCode == exitCode;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + exitCode;
    }

    /** As written in the option. */
    @Override
    public String toString() {
        return kind == Kind.EXIT ? "exit=" + exitCode : kind.name().toLowerCase(Locale.ROOT);
    }
}
