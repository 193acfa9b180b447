package io.hbwatch.agent.subject;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The script a process runs when its executable is a script interpreter ({@code sh worker.sh},
 * {@code python3 app.py}, or {@code ./worker.sh} through its {@code #!/bin/sh} line, which the
 * kernel turns into {@code /bin/sh ./worker.sh}): the first argument that is not an option. Without
 * it, a script's name and first word are both the interpreter's, and no name could single it out.
 *
 * <p>Stateless and thread-safe.
 */
final class ScriptName {
    /**
     * Shells and script runners by file name; versioned names ({@code python3.11}, {@code
     * perl5.36.0}, {@code ruby3.1}) count as their family.
     */
    private static final Pattern INTERPRETER = Pattern.compile(
            "(?:sh|dash|bash|zsh|ksh|mksh|ash|fish|csh|tcsh|python|pypy|perl|ruby|node|nodejs|php|lua|luajit"
                    + "|tclsh|Rscript|jruby|groovy)[0-9.]*");

    /** Options after which no script file follows: the code or the module is named inline. */
    private static final Set<String> INLINE = Set.of("-c", "-e", "-E", "-m", "--eval", "--command");

    private ScriptName() {}

    /** Whether {@code fileName} (no directory) is a known script interpreter's. */
    static boolean isInterpreter(String fileName) {
        return INTERPRETER.matcher(fileName).matches();
    }

    /**
     * The path of the script among the interpreter's {@code arguments} (argv without argv[0]), or
     * null when there is none: only options, or inline code ({@code sh -c}, {@code perl -e},
     * {@code python3 -m}). A {@code --} ends the options.
     */
    static String of(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (a.equals("--")) {
                return i + 1 < arguments.size() ? arguments.get(i + 1) : null;
            }
            if (INLINE.contains(a)) {
                return null;
            }
            if (!a.startsWith("-") && !a.isEmpty()) {
                return a;
            }
        }
        return null;
    }
}
