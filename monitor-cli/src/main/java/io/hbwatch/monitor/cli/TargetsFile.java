package io.hbwatch.monitor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Reads a {@code --targets} file: one target per line, written as the command line's own arguments
 * ({@code 10.0.0.5:7777 --job all --interval 500ms}); blank lines and lines or words starting with
 * {@code #} are ignored; words may be quoted with {@code '} or {@code "}. Each line starts from the
 * options given on the command line and may override them.
 */
public final class TargetsFile {
    private TargetsFile() {}

    /** A mistake in the file, its message naming the file and the line ({@code fleet.txt:3: ...}). */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * One line's target with its options.
     *
     * @param words the line as written, comments and blanks gone: two entries with the same words
     *     watch the same way
     */
    public record Entry(int line, MonitorOptions options, List<String> words) {}

    @Command(name = "target")
    static final class Line {
        @Mixin
        MonitorOptions options = new MonitorOptions();
    }

    /**
     * @param inherited the per-target options given on the command line, as arguments
     * @param check validates one line's options, throwing {@link IllegalArgumentException} with a message
     */
    public static List<Entry> read(Path file, List<String> inherited, java.util.function.Consumer<MonitorOptions> check)
            throws Invalid {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Invalid(file + ": cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Parser parser = new Parser();
        for (int i = 0; i < lines.size(); i++) {
            String where = file + ":" + (i + 1) + ": ";
            List<String> words;
            try {
                words = words(lines.get(i));
            } catch (IllegalArgumentException e) {
                throw new Invalid(where + e.getMessage());
            }
            if (words.isEmpty()) {
                continue;
            }
            MonitorOptions options = parser.parse(words, inherited, where);
            try {
                check.accept(options);
            } catch (IllegalArgumentException e) {
                throw new Invalid(where + e.getMessage());
            }
            String key = options.target + (options.pid == null ? "" : " --pid " + options.pid);
            Integer before = seen.putIfAbsent(key, i + 1);
            if (before != null) {
                throw new Invalid(where + key + " is already watched on line " + before);
            }
            entries.add(new Entry(i + 1, options, List.copyOf(words)));
        }
        if (entries.isEmpty()) {
            throw new Invalid(file + ": no targets in it");
        }
        return entries;
    }

    /**
     * The options of one target given as {@code words} (a line's words), on top of {@code
     * inherited}: what a line of the file would give.
     */
    public static MonitorOptions options(List<String> words, List<String> inherited) throws Invalid {
        return new Parser().parse(words, inherited, "");
    }

    /**
     * Parses line after line with the same two picocli command lines, each line's options then
     * copied out, and parses a line whose words after its target have been seen before not at all:
     * it is the earlier line's options with its own target. A fleet's file is mostly lines that
     * differ only in the target. Building a command line (reflection over the annotated options)
     * took about a third of a millisecond and a parse a tenth of one (picocli tries every option's
     * value as a number, and each miss is an exception), twice per line: a file of 10,000 targets
     * took 8 s to read, and no stream was watched until it had been. picocli puts every option back
     * to its initial value before each parse, so nothing of one line leaks into the next.
     */
    private static final class Parser {
        private final Line alone = new Line();
        private final Line full = new Line();
        private final CommandLine aloneCmd = commandLine(alone);
        private final CommandLine fullCmd = commandLine(full);
        /** By the words after the target: the options of the first line that had them. */
        private final Map<List<String>, MonitorOptions> byRest = new HashMap<>();

        MonitorOptions parse(List<String> words, List<String> inherited, String where) throws Invalid {
            String first = words.get(0);
            boolean targetFirst = !first.startsWith("-");
            List<String> rest = words.subList(1, words.size());
            if (targetFirst) {
                MonitorOptions seen = byRest.get(rest);
                Target target = seen == null ? null : target(first);
                if (target != null) {
                    MonitorOptions options = seen.copy();
                    options.target = target;
                    return options;
                }
            }
            // The line alone first, so that its own mistakes are named as such; then with what it inherits.
            parseArgs(aloneCmd, words, where);
            List<String> all = new ArrayList<>(inherited);
            all.addAll(words);
            parseArgs(fullCmd, all, where);
            if (full.options.target == null) {
                throw new Invalid(where + "no target: start the line with HOST:PORT");
            }
            if (targetFirst) {
                byRest.putIfAbsent(List.copyOf(rest), full.options.copy());
            }
            return full.options.copy();
        }

        /** The target {@code word} names, or null when it names none (picocli then says why). */
        private static Target target(String word) {
            try {
                return Target.parse(word);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static CommandLine commandLine(Line line) {
            CommandLine cmd = new CommandLine(line);
            cmd.setCaseInsensitiveEnumValuesAllowed(true);
            cmd.setOverwrittenOptionsAllowed(true); // a line overrides what it inherits
            return cmd;
        }
    }

    private static void parseArgs(CommandLine cmd, List<String> args, String where) throws Invalid {
        try {
            cmd.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.UnmatchedArgumentException e) {
            List<String> unmatched = e.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            throw new Invalid(where
                    + (first.startsWith("-")
                            ? "'" + first
                                    + "' is not an option of a target (options of the whole run go on the command line)"
                            : "one target per line, but '" + first + "' follows the first"));
        } catch (CommandLine.ParameterException e) {
            throw new Invalid(where + e.getMessage());
        }
    }

    /** The words of one line: split at blanks, quotes kept together, a word starting with # ends the line. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("a quote (" + quote + ") is not closed");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
