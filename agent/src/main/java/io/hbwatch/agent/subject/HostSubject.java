package io.hbwatch.agent.subject;

import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;

/** The host the standalone server runs on: UP as long as it beats at all. */
public final class HostSubject implements Subject {
    private final String hostName;
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    /** Looks the host name up once, here, so that no beat waits on a name service. */
    public HostSubject() {
        this.hostName = lookUpHostName();
    }

    @Override
    public String name() {
        return Protocol.SUBJECT_HOST;
    }

    @Override
    public void writeTo(JsonLine beat) {
        Subjects.status(beat, Status.UP, null, null);
        beat.field(Protocol.F_HOST, hostName);
        beat.field(Protocol.F_CPUS, os.getAvailableProcessors());
        double load = os.getSystemLoadAverage();
        beat.field(Protocol.F_LOAD, load < 0 ? -1 : load);
    }

    private static String lookUpHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "localhost" : env;
        }
    }
}
