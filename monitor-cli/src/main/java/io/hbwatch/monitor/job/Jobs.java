package io.hbwatch.monitor.job;

import io.hbwatch.monitor.cli.JobName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The jobs this build has, in the order {@code --job all} starts them: ping first, since the
 * diagnosis of the others' events rests on whether the host answers.
 */
public final class Jobs {
    private Jobs() {}

    private static final Map<JobName, Supplier<Job>> AVAILABLE = new LinkedHashMap<>();

    static {
        AVAILABLE.put(JobName.ping, PingJob::new);
        AVAILABLE.put(JobName.hb, HeartbeatJob::new);
        AVAILABLE.put(JobName.jmx, JmxJob::new);
    }

    /** Whether this build can run {@code name} ({@code all} always). */
    public static boolean available(JobName name) {
        return name == JobName.all || AVAILABLE.containsKey(name);
    }

    /** New instances of the jobs {@code name} stands for: one, or every available one for {@code all}. */
    public static List<Job> create(JobName name) {
        List<Job> jobs = new ArrayList<>();
        AVAILABLE.forEach((n, factory) -> {
            if (name == JobName.all || name == n) {
                jobs.add(factory.get());
            }
        });
        return jobs;
    }
}
