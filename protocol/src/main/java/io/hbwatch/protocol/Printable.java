package io.hbwatch.protocol;

/**
 * Text a peer chose (a subject, a detail, an agent's error line), made safe for a terminal, a log
 * line and a process environment: control characters, line and paragraph separators and the
 * bidirectional overrides become {@code \\uXXXX}, so that no peer can end a line, forge the next
 * event, move the cursor, colour or reorder what the operator reads, or put a NUL where the
 * environment cannot hold one. Everything else is left as it is. Both sides use it: the monitor for
 * what agents send, the agent for what clients and processes name in its {@code hbwatch:} lines.
 */
public final class Printable {
    private Printable() {}

    /** {@code text} with what is not printable escaped; null stays null. */
    public static String of(String text) {
        return of(text, false);
    }

    /**
     * {@code text} with what is not printable escaped, and with {@code foldNewlines} each {@code \n}
     * a space (for one's own long messages, which may be written on several lines); null stays null.
     */
    public static String of(String text, boolean foldNewlines) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (unprintable(text.charAt(i))) {
                return escaped(text, foldNewlines);
            }
        }
        return text;
    }

    private static String escaped(String text, boolean foldNewlines) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && foldNewlines) {
                b.append(' ');
            } else if (unprintable(c)) {
                b.append("\\u").append(Integer.toHexString(0x10000 | c).substring(1));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Whether {@code c} is escaped. */
    public static boolean unprintable(char c) {
        return Character.isISOControl(c)
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
