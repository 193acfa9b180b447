package io.hbwatch.monitor.event;

import io.hbwatch.monitor.cli.Format;
import io.hbwatch.protocol.Printable;
import io.hbwatch.protocol.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Where events, notes and the summary go. JSON keeps stdout to one event object per line and sends
 * everything else to stderr, so that scripts can parse stdout; text puts all on stdout, with color
 * when asked to. Not thread-safe: the {@link Reporter} serializes calls.
 */
public final class Output {
    private static final DateTimeFormatter LOCAL_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxxx").withZone(ZoneId.systemDefault());
    private static final String RESET = "\u001b[0m";
    private static final String DIM = "\u001b[2m";

    private final Format format;
    private final boolean color;
    /** Where stdout's lines go: stdout itself, or under {@link Format#plugin} a buffer. */
    private final PrintWriter out;

    private final PrintWriter stdout;
    private final StringWriter held;
    private final PrintWriter err;

    /**
     * @param format {@link Format#plugin} holds stdout's lines until {@link #plugin(String)} puts its
     *     line before them
     * @param color whether text may carry ANSI colors (stdout is a terminal and NO_COLOR is unset)
     */
    public Output(Format format, boolean color, PrintWriter out, PrintWriter err) {
        this.format = format;
        this.color = color && format == Format.text;
        this.stdout = out;
        this.held = format == Format.plugin ? new StringWriter() : null;
        this.out = held == null ? out : new PrintWriter(held);
        this.err = err;
    }

    /** Whether stdout waits for the plugin line. */
    boolean holdsForPlugin() {
        return held != null;
    }

    /** Under {@link Format#plugin}: prints {@code line} first, then every line held so far. */
    void plugin(String line) {
        if (held == null) {
            return;
        }
        out.flush();
        stdout.println(line);
        stdout.print(held);
        stdout.flush();
        held.getBuffer().setLength(0);
    }

    /**
     * Prints one event.
     *
     * @param change false for a check printed only because of {@code --verbose}
     */
    void event(Event e, boolean change) {
        if (format == Format.json) {
            out.println(e.toJson());
        } else {
            StringBuilder b = new StringBuilder(160);
            if (color && !change) {
                b.append(DIM);
            }
            b.append(LOCAL_MILLIS.format(e.time())).append(' ');
            b.append(e.job())
                    .append(' ')
                    .append(Printable.of(e.target()))
                    .append(' ')
                    .append(Printable.of(e.subject()))
                    .append(' ');
            if (color) {
                b.append(colorOf(e.state())).append(e.state()).append(RESET);
                if (!change) {
                    b.append(DIM);
                }
            } else {
                b.append(e.state());
            }
            if (e.reason() != null) {
                b.append(" (").append(Printable.of(e.reason())).append(')');
            }
            b.append(": ").append(Printable.of(e.detail()));
            if (e.flapping() != null) {
                b.append(e.flapping() ? " [flapping]" : " [flapping ended]");
            }
            if (color && !change) {
                b.append(RESET);
            }
            out.println(b);
        }
        out.flush();
    }

    /** A line about what the monitor does (which probe it uses, say); stderr under JSON. */
    public void note(String line) {
        PrintWriter w = format == Format.json ? err : out;
        w.println(Printable.of(line));
        w.flush();
    }

    /** A warning about the run itself (roads that reach two JVMs, say): always stderr. */
    public void warn(String line) {
        err.println(Printable.of(line));
        err.flush();
    }

    /** The closing summary, like ping's statistics; stderr under JSON. */
    void summary(String text) {
        // The monitor's own table, lines and all: the targets in it were escaped where it was built.
        PrintWriter w = format == Format.json ? err : out;
        w.println(text);
        w.flush();
    }

    private static String colorOf(Status s) {
        return switch (s) {
            case UP -> "\u001b[32m";
            case DEGRADED -> "\u001b[33m";
            case DOWN -> "\u001b[1;31m";
        };
    }

    /**
     * Whether stdout is a terminal and the user has not asked for no color (https://no-color.org:
     * any non-empty NO_COLOR).
     */
    public static boolean colorWanted() {
        String noColor = System.getenv("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        // From JDK 22 System.console() exists even when redirected; isTerminal() tells the truth.
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17-21: a console exists only on a terminal
        }
    }
}
