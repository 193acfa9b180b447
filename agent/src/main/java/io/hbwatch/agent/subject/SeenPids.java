package io.hbwatch.agent.subject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PIDs this agent has seen alive, most recent last, so that a monitor that reconnects after
 * its process died hears {@code exited}, not {@code not-found}. Bounded: the oldest are forgotten.
 * Thread-safe.
 */
final class SeenPids {
    static final int MAX = 1024;

    private static final Map<Long, Boolean> SEEN = new LinkedHashMap<Long, Boolean>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > MAX;
        }
    };

    private SeenPids() {}

    static synchronized void seen(long pid) {
        SEEN.put(pid, Boolean.TRUE);
    }

    static synchronized boolean wasSeen(long pid) {
        return SEEN.containsKey(pid);
    }
}
