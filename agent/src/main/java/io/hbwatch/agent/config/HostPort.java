package io.hbwatch.agent.config;

import java.util.Objects;

/** A host name or address and a port ({@code 0} meaning a free one). Immutable. */
public final class HostPort {
    private final String host;
    private final int port;

    public HostPort(String host, int port) {
        this.host = Objects.requireNonNull(host);
        this.port = port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostPort && ((HostPort) o).host.equals(host) && ((HostPort) o).port == port;
    }

    @Override
    public int hashCode() {
        return host.hashCode() * 31 + port;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
