package io.hbwatch.agent;

import io.hbwatch.agent.attach.AttachCommand;
import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.ConfigException;
import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.standalone.Standalone;
import io.hbwatch.agent.util.Log;
import java.io.PrintStream;
import java.util.Arrays;

/** {@code java -jar hb-agent.jar ...}: the standalone server and the {@code attach} command. */
final class Cli {
    static final String USAGE = String.join(
            "\n",
            "Usage: java -jar hb-agent.jar [--port N] [--host ADDR | --iface ADDR] [--interval DUR]",
            "                              [--maxSubscribers N] [--maxPending N] [--firstLineTimeout DUR]",
            "                              [--subscriberBuffer SIZE] [--secretFile FILE | --secret TEXT]",
            "                              [--portFile FILE] [--config FILE] [--debug true]",
            "       java -jar hb-agent.jar attach PID [key=value,...]",
            "       java -javaagent:hb-agent.jar[=key=value,...] ...",
            "",
            "Standalone, serves the heartbeat stream (protocol v1, docs/PROTOCOL.md) for this host,",
            "and for an OS process when a client's first line is {\"pid\":\"PID or NAME\"}.",
            "  --port N             TCP port, 0 for a free one (default 7777)",
            "  --host, --iface ADDR address to listen on (default 127.0.0.1)",
            "  --interval DUR       time between beats: 500ms, 1s, 1m (default 1s)",
            "  --maxSubscribers N   most connections served at once (default 64)",
            "  --maxPending N       most connections waiting for their first line (default 16)",
            "  --firstLineTimeout DUR  wait for a client's first line (default 500ms)",
            "  --subscriberBuffer SIZE beats kept per slow subscriber: 16k, 1m (default 16k)",
            "  --portFile FILE      write {\"heartbeat\":N} there once listening",
            "  --secretFile FILE    sign every beat with the secret in FILE (HMAC-SHA256)",
            "  --secret TEXT        the same with the secret given here (visible in ps)",
            "  --config FILE        read these options from a properties file first",
            "attach loads the agent into a running JVM of the same user and prints where it listens.",
            "Exit codes: 0 ok or stopped by SIGTERM/Ctrl-C, 1 failure, 2 bad arguments.");

    private Cli() {}

    /** Runs the command and returns the process exit code. */
    static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length > 0 && args[0].equals("attach")) {
            return new AttachCommand(out, err).run(Arrays.copyOfRange(args, 1, args.length));
        }
        AgentConfig config;
        try {
            config = ConfigLoader.fromCommandLine(args);
        } catch (ConfigException e) {
            err.println("hbwatch: " + e.getMessage() + " (--help for usage)");
            return 2;
        }
        Log.setDebug(config.get(io.hbwatch.agent.config.Keys.DEBUG));
        Log.setTimestamps(config.get(io.hbwatch.agent.config.Keys.TIMESTAMPS));
        try {
            return Standalone.run(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
