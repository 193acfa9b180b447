package io.hbwatch.agent.http;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * On a loopback endpoint, requests whose {@code Host} names anything but {@code localhost} or an
 * IP address are refused ({@link JolokiaHandler}): the defence against DNS rebinding, where a web page's own domain is made to
 * resolve to 127.0.0.1 so that the browser treats the agent as same-origin and lets the page read
 * its answers. Monitors and curl send an address or {@code localhost}; browsers on a rebinding
 * page send the attacker's name.
 */
final class LoopbackHostCheck {
    /** Compiled once: {@code String.matches} would compile it again for every request. */
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private LoopbackHostCheck() {}

    /** True for {@code localhost}, an IPv4 address or a bracketed IPv6 address, with or without a port. */
    static boolean allowed(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return h.indexOf(']') > 0; // an IPv6 literal
        }
        int colon = h.indexOf(':');
        String name = colon >= 0 ? h.substring(0, colon) : h;
        return name.equals("localhost") || IPV4.matcher(name).matches();
    }
}
