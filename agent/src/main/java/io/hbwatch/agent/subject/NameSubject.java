package io.hbwatch.agent.subject;

import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.Set;

/**
 * OS processes found by name: the executable's file name, or the first word of the command line
 * (as is or its file name), or, when the executable is a script interpreter ({@code sh}, {@code
 * bash}, {@code python3}, {@code perl}, {@code ruby}, {@code node}, ...), the file name of the
 * script it runs (its first argument that is not an option; see {@link ScriptName}). UP while at least one runs (DEGRADED {@code stopped} when all that
 * match are stopped by a signal), DOWN {@code exited} when they have all gone, DOWN {@code
 * not-found} while none has been seen. A process that starts later under the name is UP again:
 * a name, unlike a PID, outlives restarts. The processes are looked up in the beat server's
 * shared {@link ProcessTable}, not scanned for each name.
 */
final class NameSubject implements Subject {
    private final String processName;
    private final String name;
    /** Where the processes are looked up; null: a scan of its own each beat (tests, one-offs). */
    private final ProcessTable table;

    private boolean seen;
    /** When its feed began (System.nanoTime): its first beat needs a scan from then on. */
    private long openedNanos;

    NameSubject(String processName, ProcessTable table) {
        this.processName = processName;
        this.name = Protocol.SUBJECT_NAME_PREFIX + processName;
        this.table = table;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void open() {
        openedNanos = System.nanoTime();
        if (table != null) {
            table.watch(processName);
        }
    }

    @Override
    public boolean ready() {
        return table == null || table.covers(processName, openedNanos);
    }

    @Override
    public void close() {
        if (table != null) {
            table.unwatch(processName);
        }
    }

    @Override
    public void writeTo(JsonLine beat) {
        ProcessTable.Match m = table != null
                ? table.match(processName)
                : ProcessTable.scan(Set.of(processName)).getOrDefault(processName, ProcessTable.Match.NONE);
        if (m.count == 0) {
            if (seen) {
                Subjects.status(
                        beat, Status.DOWN, Reason.EXITED, "no process named '" + processName + "' runs any more");
            } else {
                Subjects.status(beat, Status.DOWN, Reason.NOT_FOUND, "no process named '" + processName + "'");
            }
        } else {
            seen = true;
            if (m.stopped == m.count) {
                Subjects.status(
                        beat,
                        Status.DEGRADED,
                        Reason.STOPPED,
                        (m.count == 1 ? "process " + m.firstPid + " is" : "all " + m.count + " processes are")
                                + " stopped by a signal");
            } else {
                Subjects.status(beat, Status.UP, null, null);
            }
            beat.field(Protocol.F_PROCESS_ID, m.firstPid);
        }
        beat.field(Protocol.F_COUNT, m.count);
    }
}
