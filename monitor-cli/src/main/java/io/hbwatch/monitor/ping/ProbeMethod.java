package io.hbwatch.monitor.ping;

/** The values of {@code --probe}: how {@code --job ping} asks the host. */
public enum ProbeMethod {
    /** ICMP echo where the process may send it, else a TCP connect. */
    auto,
    /** ICMP echo; needs root or CAP_NET_RAW (without, the JDK quietly uses TCP port 7). */
    icmp,
    /** A TCP connect to the target's port; a refusal counts as an answer. */
    tcp;

    /** A prober for this method; {@code tcpPort} is the port a TCP probe connects to. */
    public Prober create(int tcpPort) {
        return switch (this) {
            case auto -> Prober.best(tcpPort);
            case icmp -> new IcmpProber();
            case tcp -> new TcpProber(tcpPort);
        };
    }
}
