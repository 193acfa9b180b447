package io.hbwatch.agent.subject;

import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * OS processes found by name: the executable's file name, or the first word of the command line
 * (as is or its file name), or, when the executable is a script interpreter ({@code sh}, {@code
 * bash}, {@code python3}, {@code perl}, {@code ruby}, {@code node}, ...), the file name of the
 * script it runs (its first argument that is not an option; see {@link ScriptName}). UP while at least one runs (DEGRADED {@code stopped} when all that
 * match are stopped by a signal), DOWN {@code exited} when they have all gone, DOWN {@code
 * not-found} while none has been seen. A process that starts later under the name is UP again:
 * a name, unlike a PID, outlives restarts.
 */
final class NameSubject implements Subject {
    private static final String[] NO_ARGUMENTS = {};

    private final String processName;
    private final String name;
    private boolean seen;

    NameSubject(String processName) {
        this.processName = processName;
        this.name = Protocol.SUBJECT_NAME_PREFIX + processName;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void writeTo(JsonLine beat) {
        long firstPid = -1;
        int count = 0;
        int stopped = 0;
        long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            for (Iterator<ProcessHandle> it = all.iterator(); it.hasNext(); ) {
                ProcessHandle p = it.next();
                if (p.pid() == self || !matches(p.info())) {
                    continue;
                }
                char state = ProcState.of(p.pid());
                if (ProcState.isZombie(state) || !p.isAlive()) {
                    continue;
                }
                if (firstPid < 0) {
                    firstPid = p.pid();
                }
                count++;
                if (ProcState.isStopped(state)) {
                    stopped++;
                }
            }
        }
        if (count == 0) {
            if (seen) {
                Subjects.status(
                        beat, Status.DOWN, Reason.EXITED, "no process named '" + processName + "' runs any more");
            } else {
                Subjects.status(beat, Status.DOWN, Reason.NOT_FOUND, "no process named '" + processName + "'");
            }
        } else {
            seen = true;
            if (stopped == count) {
                Subjects.status(
                        beat,
                        Status.DEGRADED,
                        Reason.STOPPED,
                        (count == 1 ? "process " + firstPid + " is" : "all " + count + " processes are")
                                + " stopped by a signal");
            } else {
                Subjects.status(beat, Status.UP, null, null);
            }
            beat.field(Protocol.F_PROCESS_ID, firstPid);
        }
        beat.field(Protocol.F_COUNT, count);
    }

    private boolean matches(ProcessHandle.Info info) {
        Optional<String> command = info.command();
        if (command.isPresent() && processName.equals(fileName(command.get()))) {
            return true;
        }
        Optional<String> line = info.commandLine();
        if (line.isPresent()) {
            String first = line.get().trim().split("\\s+", 2)[0];
            if (processName.equals(first) || processName.equals(fileName(first))) {
                return true;
            }
        }
        return runsScriptNamed(info, command);
    }

    /** Whether the process is an interpreter running a script under the name watched. */
    private boolean runsScriptNamed(ProcessHandle.Info info, Optional<String> command) {
        if (command.isEmpty() || !ScriptName.isInterpreter(fileName(command.get()))) {
            return false;
        }
        String script = ScriptName.of(List.of(info.arguments().orElse(NO_ARGUMENTS)));
        return script != null && processName.equals(fileName(script));
    }

    private static String fileName(String path) {
        try {
            java.nio.file.Path name = Paths.get(path).getFileName();
            return name == null ? path : name.toString();
        } catch (RuntimeException e) {
            return path;
        }
    }
}
