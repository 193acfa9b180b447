package io.hbwatch.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Addresses as people write them, for the lines agent and monitor print: IPv6 in its short form
 * (RFC 5952: {@code ::1}, not {@code 0:0:0:0:0:0:0:1}) and in brackets before a port ({@code
 * [::1]:7777}, which both sides' options accept back), IPv4 as usual.
 */
public final class Addresses {
    private Addresses() {}

    /** The address alone: {@code 127.0.0.1}, {@code ::1}, {@code fe80::1%eth0}. */
    public static String host(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        String full = a.getHostAddress();
        int percent = full.indexOf('%');
        String scope = percent < 0 ? "" : full.substring(percent);
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // The longest run of two or more zero groups (the first of equals) becomes "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.append(scope).toString();
    }

    /** {@code host:port}, with an IPv6 host in brackets: {@code [::1]:7777}. */
    public static String hostPort(InetAddress a, int port) {
        String h = host(a);
        return (a instanceof Inet6Address ? "[" + h + "]" : h) + ":" + port;
    }

    /** {@link #hostPort(InetAddress, int)} of a socket address. */
    public static String hostPort(InetSocketAddress a) {
        return a.getAddress() == null ? a.getHostString() + ":" + a.getPort() : hostPort(a.getAddress(), a.getPort());
    }
}
