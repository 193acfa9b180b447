package io.hbwatch.agent.http;

import io.hbwatch.agent.util.Log;
import org.jolokia.server.core.service.api.LogHandler;

/**
 * Jolokia's log, routed to the agent's: its chatter ("Agent started with URL ...", service
 * registration) only as debug lines, its errors as one {@code hbwatch: jolokia:} line without a
 * stack trace. Without this Jolokia prints to the host's stdout and stderr. Thread-safe.
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

    @Override
    public void error(String message, Throwable t) {
        Log.warn("jolokia: " + message + (t == null ? "" : " (" + Log.describe(t) + ")"));
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
