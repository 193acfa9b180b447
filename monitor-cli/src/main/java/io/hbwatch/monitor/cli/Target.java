package io.hbwatch.monitor.cli;

/**
 * What the monitor watches: a host and, for the heartbeat and Jolokia jobs, a port. Immutable.
 *
 * @param host a name or address as the user wrote it, never empty; IPv6 without brackets
 * @param port 1 to 65535, or {@link #NO_PORT} when the user gave a bare host (ping only)
 */
public record Target(String host, int port) {
    /** The port of a bare-host target. */
    public static final int NO_PORT = -1;
    /** The "port" of {@code pid:NAME}: a JVM of this host to find in the agents' registry, {@link #host()} its name. */
    public static final int REGISTERED = -2;
    /** The prefix of a target found through the registry. */
    public static final String PID_PREFIX = "pid:";

    public boolean hasPort() {
        return port >= 0;
    }

    /** Whether this is {@code pid:NAME}, to be looked up in the registry before anything starts. */
    public boolean registered() {
        return port == REGISTERED;
    }

    /** Parses {@code host:port}, {@code [v6]:port} or a bare {@code host}. */
    public static Target parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("the target is empty: give host:port, for example 127.0.0.1:7777");
        }
        if (t.startsWith(PID_PREFIX)) {
            String name = t.substring(PID_PREFIX.length());
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalArgumentException(
                        "'" + text + "' names no JVM: give pid:PID, or the main class or jar as jps shows it");
            }
            return new Target(name, REGISTERED);
        }
        String host;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 2) {
                throw new IllegalArgumentException("'" + text + "' is not host:port: the ']' is missing");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "' is not [address]:port");
                }
                port = rest.substring(1);
            }
        } else if (t.indexOf(':') != t.lastIndexOf(':')) {
            throw new IllegalArgumentException("'" + text + "' is not host:port (write an IPv6 address as [::1]:7777)");
        } else if (t.indexOf(':') >= 0) {
            host = t.substring(0, t.indexOf(':'));
            port = t.substring(t.indexOf(':') + 1);
        } else {
            host = t;
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not host:port: the host is empty");
        }
        if (!host.matches("[A-Za-z0-9._:%-]+")) {
            throw new IllegalArgumentException("'" + text + "' is not host:port: '" + host + "' is not a host name");
        }
        return new Target(host, port == null ? NO_PORT : parsePort(text, port));
    }

    private static int parsePort(String text, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // one message below
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not host:port: the port must be a number from 1 to 65535");
    }

    @Override
    public String toString() {
        if (registered()) {
            return PID_PREFIX + host;
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return hasPort() ? h + ":" + port : h;
    }
}
