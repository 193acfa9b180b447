package io.hbwatch.agent;

import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.agent.util.Log;
import java.lang.instrument.Instrumentation;

/**
 * Starts and owns the agent's parts inside a host JVM. Runs on the {@code hbwatch-main} daemon
 * thread, never on the thread that called {@code premain}. Whatever fails is reported in one
 * {@code hbwatch:} line and the rest carries on.
 */
final class AgentRuntime {
    private AgentRuntime() {}

    static void start(String agentArgs, Instrumentation inst, boolean attached) {
        try {
            AgentConfig config = ConfigLoader.fromAgentArgs(agentArgs);
            Log.setDebug(config.get(Keys.DEBUG));
            config.problems().forEach(Log::warn);
            // TODO(issue 2): beat server, MBean, port file, shutdown hook.
        } catch (Throwable e) {
            Log.warn("agent stopped: " + Log.describe(e));
        }
    }
}
