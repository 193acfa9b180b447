package io.hbwatch.monitor.job;

import io.hbwatch.monitor.cli.MonitorOptions;
import java.net.InetAddress;
import java.util.List;

/**
 * One target with its options and jobs: the command line's, or one line of a targets file.
 * Immutable.
 *
 * @param key unique in the run: the target, with {@code --pid} when given (two processes behind one agent)
 * @param address the target's host, resolved once when the run started
 */
public record Watch(String key, MonitorOptions options, InetAddress address, List<Job> jobs) {
    /** The key of a watch of these options. */
    public static String keyOf(MonitorOptions o) {
        return o.target + (o.pid == null ? "" : " --pid " + o.pid);
    }
}
