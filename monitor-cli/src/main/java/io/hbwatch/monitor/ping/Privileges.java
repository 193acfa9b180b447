package io.hbwatch.monitor.ping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may send ICMP echo requests: root, or CAP_NET_RAW in its effective set. */
final class Privileges {
    private Privileges() {}

    /** Bit of CAP_NET_RAW in the capability masks of {@code /proc/self/status} (linux/capability.h). */
    private static final int CAP_NET_RAW = 13;

    static boolean canSendIcmp() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long mask = Long.parseUnsignedLong(
                            line.substring("CapEff:".length()).trim(), 16);
                    return (mask & (1L << CAP_NET_RAW)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: fall back to the user's name below
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
