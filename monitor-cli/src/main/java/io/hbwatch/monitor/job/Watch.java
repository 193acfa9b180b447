package io.hbwatch.monitor.job;

import io.hbwatch.monitor.cli.MonitorOptions;
import java.net.InetAddress;
import java.util.List;

/**
 * One target with its options and jobs: the command line's, or one line of a targets file.
 * Immutable.
 *
 * @param key unique in the run: the target, with {@code --pid} when given (two processes behind one agent)
 * @param address the target's host, resolved once when the run started; null when it did not
 *     resolve, and the runner retries until it does
 * @param origin where the target was given ({@code fleet.txt:3}), for the detail of an unresolved
 *     host; null for the command line
 */
public record Watch(String key, MonitorOptions options, InetAddress address, List<Job> jobs, String origin) {
    /**
     * A watch of {@code o} with its host resolved now; an unresolved host leaves the address null,
     * for the runner to report DOWN ({@code unresolved}) and look up again.
     */
    public static Watch resolve(MonitorOptions o, String origin) {
        InetAddress address = null;
        try {
            address = InetAddress.getByName(o.target.host());
        } catch (java.net.UnknownHostException e) {
            // the runner retries
        }
        return new Watch(keyOf(o), o, address, Jobs.create(o.job), origin);
    }

    /** The key of a watch of these options. */
    public static String keyOf(MonitorOptions o) {
        return o.target + (o.pid == null ? "" : " --pid " + o.pid);
    }
}
