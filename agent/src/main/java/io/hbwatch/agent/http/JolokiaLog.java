package io.hbwatch.agent.http;

import io.hbwatch.agent.util.Log;
import org.jolokia.server.core.service.api.LogHandler;

/**
 * Jolokia's log, routed to the agent's: its chatter ("Agent started with URL ...", service
 * registration) only as debug lines, its errors at start-up as one {@code hbwatch: jolokia:} line
 * without a stack trace, its errors while serving (which requests cause) as debug lines. Without this Jolokia prints to the host's stdout and stderr. Thread-safe.
 */
final class JolokiaLog implements LogHandler {
    @Override
    public void debug(String message) {
        Log.debug("jolokia: " + message);
    }

    @Override
    public void info(String message) {
        Log.debug("jolokia: " + message);
    }

    /** Set once the endpoint serves: from then on Jolokia's errors come from clients' requests. */
    private volatile boolean serving;

    /** From now on Jolokia's errors are about requests: debug lines, not the host's stderr. */
    void serving() {
        serving = true;
    }

    @Override
    public void error(String message, Throwable t) {
        String line = "jolokia: " + message + (t == null ? "" : " (" + Log.describe(t) + ")");
        if (serving) {
            Log.debug(line); // a client's doing: never the host's stderr unless debug=true
        } else {
            Log.warn(line);
        }
    }

    /**
     * False: Jolokia's own debug output (several lines per request) is for debugging Jolokia, and
     * would drown the agent's {@code debug=true} lines.
     */
    @Override
    public boolean isDebug() {
        return false;
    }
}
