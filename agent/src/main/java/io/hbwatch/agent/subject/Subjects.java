package io.hbwatch.agent.subject;

import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Status;
import java.util.Locale;

/** Makes subjects from what a client asked for, and writes the status fields they share. */
public final class Subjects {
    /**
     * Longest process name watched: a file name's limit on Linux ({@code NAME_MAX}). With it a beat,
     * which carries the name, stays far below its line limit whatever the characters.
     */
    public static final int MAX_NAME_CHARS = 255;

    private Subjects() {}

    /**
     * The subject for a client's {@code {"pid":...}}: a PID when the text is all digits, else a
     * process name.
     *
     * @throws IllegalArgumentException with a message fit for an error line
     */
    public static Subject process(String pidOrName) {
        return process(pidOrName, null);
    }

    /**
     * As {@link #process(String)}, a name looked up in {@code table} (null: scanned for each beat).
     *
     * @throws IllegalArgumentException with a message fit for an error line
     */
    public static Subject process(String pidOrName, ProcessTable table) {
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
        if (t.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("a process name has at most " + MAX_NAME_CHARS + " characters");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c)
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.FORMAT
                    || type == Character.SURROGATE && !validSurrogate(t, i)) {
                throw new IllegalArgumentException(
                        "a process name has no control, format or line-separator characters (U+"
                                + Integer.toHexString(0x10000 | c).substring(1).toUpperCase(Locale.ROOT) + " at "
                                + i + ")");
            }
        }
        return new NameSubject(t, table);
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
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
