package io.hbwatch.agent;

import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import java.lang.instrument.Instrumentation;

/**
 * Entry points of {@code hb-agent.jar}. Thin by design: they hand off to {@link AgentRuntime} on
 * a daemon thread and return.
 *
 * <pre>
 * java -javaagent:hb-agent.jar=port=7777,interval=1s -jar app.jar     # inside a JVM
 * java -jar hb-agent.jar attach 12345 port=0,portFile=/tmp/hb.json    # into a running JVM
 * java -jar hb-agent.jar --port 7777 --host 127.0.0.1                 # standalone, for the host
 * </pre>
 */
public final class HbAgent {
    private HbAgent() {}

    /** Called by the JVM for {@code -javaagent:}. Returns at once; nothing here may throw. */
    public static void premain(String agentArgs, Instrumentation inst) {
        launch(agentArgs, inst, false);
    }

    /** Called by the JVM when the agent is attached to a running JVM. Returns at once. */
    public static void agentmain(String agentArgs, Instrumentation inst) {
        launch(agentArgs, inst, true);
    }

    private static void launch(String agentArgs, Instrumentation inst, boolean attached) {
        try {
            HbThreads.start("main", new Start(agentArgs, inst, attached));
        } catch (Throwable e) {
            // Not even a thread: say so and leave the host alone.
            Log.warn("agent not started: " + Log.describe(e));
        }
    }

    /** {@code java -jar hb-agent.jar}: standalone heartbeat server, or {@code attach PID}. */
    public static void main(String[] args) {
        System.exit(Cli.run(args));
    }

    /** The agent thread's task; a named class, not a lambda (see {@code HbThreads}). */
    private static final class Start implements Runnable {
        private final String agentArgs;
        private final Instrumentation inst;
        private final boolean attached;

        Start(String agentArgs, Instrumentation inst, boolean attached) {
            this.agentArgs = agentArgs;
            this.inst = inst;
            this.attached = attached;
        }

        @Override
        public void run() {
            AgentRuntime.start(agentArgs, inst, attached);
        }
    }
}
