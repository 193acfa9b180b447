package io.hbwatch.agent.subject;

import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.time.Instant;
import java.util.Optional;

/**
 * An OS process named by its PID. UP while it runs; DEGRADED {@code stopped} while a signal stops
 * it (Linux); DOWN {@code exited} once it is gone, for good: a new process that later gets the
 * same PID is told apart by its start time and does not count; DOWN {@code not-found} while no
 * process with that PID has been seen (by this agent: one that a subscriber watched before and
 * that has gone since is {@code exited} for a new subscriber too).
 */
final class PidSubject implements Subject {
    private final long pid;
    private final String name;
    /** Start time of the process first seen with this PID; null until seen. */
    private Optional<Instant> startedAt;

    private boolean exited;

    PidSubject(long pid) {
        this.pid = pid;
        this.name = Protocol.SUBJECT_PID_PREFIX + pid;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void writeTo(JsonLine beat) {
        judge(beat);
        beat.field(Protocol.F_PROCESS_ID, pid);
    }

    private void judge(JsonLine beat) {
        if (exited) {
            Subjects.status(beat, Status.DOWN, Reason.EXITED, "process " + pid + " has exited");
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        char state = handle.isPresent() ? ProcState.of(pid) : ProcState.UNKNOWN;
        boolean alive = handle.isPresent() && handle.get().isAlive() && !ProcState.isZombie(state);
        if (startedAt == null) {
            if (!alive && SeenPids.wasSeen(pid)) {
                exited = true;
                Subjects.status(beat, Status.DOWN, Reason.EXITED, "process " + pid + " has exited");
                return;
            }
            if (!alive) {
                Subjects.status(beat, Status.DOWN, Reason.NOT_FOUND, "no process " + pid);
                return;
            }
            startedAt = handle.get().info().startInstant();
            SeenPids.seen(pid);
        } else if (!alive) {
            exited = true;
            Subjects.status(beat, Status.DOWN, Reason.EXITED, "process " + pid + " has exited");
            return;
        } else if (!handle.get().info().startInstant().equals(startedAt)) {
            exited = true;
            Subjects.status(
                    beat,
                    Status.DOWN,
                    Reason.EXITED,
                    "process " + pid + " has exited; its PID now belongs to another process");
            return;
        }
        if (ProcState.isStopped(state)) {
            Subjects.status(beat, Status.DEGRADED, Reason.STOPPED, "process " + pid + " is stopped by a signal");
        } else {
            Subjects.status(beat, Status.UP, null, null);
        }
    }
}
