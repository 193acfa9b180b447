package io.hbwatch.monitor.ping;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * ICMP echo through {@link InetAddress#isReachable(int)}: with the privilege to open a raw socket
 * the JDK sends a real ICMP echo request (on Linux, see {@code Inet4AddressImpl.c}); without it the
 * JDK would silently fall back to TCP port 7, which is why {@link Prober#best} checks first.
 */
public final class IcmpProber implements Prober {
    @Override
    public String method() {
        return "ICMP echo";
    }

    @Override
    public Echo probe(InetAddress address, Duration timeout) {
        long start = System.nanoTime();
        try {
            boolean ok = address.isReachable((int) Math.max(1, timeout.toMillis()));
            long rtt = System.nanoTime() - start;
            return ok ? Echo.answer(rtt) : Echo.miss(rtt, "no echo within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return Echo.miss(System.nanoTime() - start, TcpProber.describe(e));
        }
    }
}
