package io.hbwatch.monitor;

import java.lang.reflect.InvocationTargetException;

/**
 * The executable's entry point, compiled for Java 8 so that any Java can load it: below Java 17 it
 * says so in one line and exits 3 (unknown, as the monitoring-plugin convention has it), where the
 * monitor itself would die of an {@code UnsupportedClassVersionError} with exit code 1, which a
 * check runner or a "restart only on DOWN" wrapper would take for WARNING or healthy. Then it runs
 * {@code MonitorCli}, found by name: this class must not depend on classes built for 17.
 */
public final class Launcher {
    /** The monitor's Java. */
    static final int REQUIRED = 17;

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        String problem = problem(
                System.getProperty("java.specification.version", "0"),
                System.getProperty("java.version"),
                System.getProperty("java.home"));
        if (problem != null) {
            System.err.println(problem);
            System.exit(3);
        }
        try {
            Class.forName("io.hbwatch.monitor.MonitorCli")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The one line to print when this Java is too old for the monitor; null when it is not. */
    static String problem(String specification, String version, String home) {
        if (feature(specification) >= REQUIRED) {
            return null;
        }
        return "monitor-cli: needs Java " + REQUIRED + " or later, but runs on Java " + version + " (" + home
                + "); set JAVA_HOME or PATH to a Java " + REQUIRED + "+";
    }

    /** {@code 1.8} is 8, {@code 17} is 17; what cannot be read is 0. */
    static int feature(String specification) {
        String s = specification.startsWith("1.") ? specification.substring(2) : specification;
        int dot = s.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? s : s.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
