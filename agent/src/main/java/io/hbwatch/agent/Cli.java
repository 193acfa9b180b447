package io.hbwatch.agent;

import io.hbwatch.agent.config.ConfigException;
import io.hbwatch.agent.config.ConfigLoader;

/** {@code java -jar hb-agent.jar ...}: the standalone server and the {@code attach} command. */
final class Cli {
    private Cli() {}

    /** Runs the command and returns the process exit code. */
    static int run(String[] args) {
        try {
            ConfigLoader.fromCommandLine(args);
            // TODO(issue 2): standalone server, attach.
            return 0;
        } catch (ConfigException e) {
            System.err.println("hbwatch: " + e.getMessage());
            return 2;
        }
    }
}
