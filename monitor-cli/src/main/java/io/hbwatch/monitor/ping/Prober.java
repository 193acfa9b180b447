package io.hbwatch.monitor.ping;

import java.net.InetAddress;
import java.time.Duration;

/** One way of asking a host "are you there?". Implementations are thread-safe and never throw for network failures. */
public interface Prober {
    /** What the user is told is in use, e.g. {@code ICMP echo} or {@code TCP connect to port 7777}. */
    String method();

    /** Sends one echo request and waits at most {@code timeout} for the answer. */
    Echo probe(InetAddress address, Duration timeout) throws InterruptedException;

    /**
     * ICMP echo when this process may send it (root, or CAP_NET_RAW), else a TCP connect to {@code
     * tcpPort}. Never a {@code ping} binary: a fresh machine has none.
     */
    static Prober best(int tcpPort) {
        return Privileges.canSendIcmp() ? new IcmpProber() : new TcpProber(tcpPort);
    }
}
