package io.hbwatch.agent.subject;

import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Status;

/** Makes subjects from what a client asked for, and writes the status fields they share. */
public final class Subjects {
    private Subjects() {}

    /**
     * The subject for a client's {@code {"pid":...}}: a PID when the text is all digits, else a
     * process name.
     *
     * @throws IllegalArgumentException with a message fit for an error line
     */
    public static Subject process(String pidOrName) {
        String t = pidOrName.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("pid is empty: give a process id or a process name");
        }
        if (t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long pid;
            try {
                pid = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pid '" + t + "' is too large");
            }
            if (pid <= 0) {
                throw new IllegalArgumentException("pid must be a positive number");
            }
            return new PidSubject(pid);
        }
        return new NameSubject(t);
    }

    /** The wire name a request maps to, without creating the subject: {@code pid:N} or {@code name:X}. */
    public static String nameOf(String pidOrName) {
        return process(pidOrName).name();
    }

    static void status(JsonLine beat, Status status, String reason, String detail) {
        beat.field(Protocol.F_STATUS, status.name());
        if (status != Status.UP) {
            beat.field(Protocol.F_REASON, reason);
            if (detail != null) {
                beat.field(Protocol.F_DETAIL, detail);
            }
        }
    }
}
