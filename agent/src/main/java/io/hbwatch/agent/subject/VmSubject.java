package io.hbwatch.agent.subject;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The JVM the agent runs in. Its status is the worst finding of {@link Health} (UP when there is
 * none); contributors registered there add their fields. Writing a beat allocates nothing of its
 * own: the constant fields are computed once and the live ones are primitives.
 */
public final class VmSubject implements Subject {
    private final Health health;
    private final long pid = ProcessHandle.current().pid();
    private final String jvm = System.getProperty("java.vm.name", "unknown");
    private final String jvmVersion =
            System.getProperty("java.runtime.version", System.getProperty("java.version", "unknown"));
    /** The JVM's uptime when this was made, and then: a beat adds the time since, with no call into the VM. */
    private final long uptimeBaseMs = ManagementFactory.getRuntimeMXBean().getUptime();

    private final long uptimeBaseNanos = System.nanoTime();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    public VmSubject(Health health) {
        this.health = health;
    }

    @Override
    public String name() {
        return Protocol.SUBJECT_VM;
    }

    @Override
    public void writeTo(JsonLine beat) {
        health.catchUp(System.nanoTime());
        Finding worst = health.worst();
        if (worst == null) {
            Subjects.status(beat, Status.UP, null, null);
        } else {
            Subjects.status(beat, worst.status(), worst.reason(), worst.detail());
        }
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        beat.field(Protocol.F_PROCESS_ID, pid)
                .field(Protocol.F_UPTIME, uptimeBaseMs + (System.nanoTime() - uptimeBaseNanos) / 1_000_000L)
                .field(Protocol.F_JVM, jvm)
                .field(Protocol.F_JVM_VERSION, jvmVersion)
                .field(Protocol.F_THREADS, threads.getThreadCount())
                .field(Protocol.F_HEAP_USED, rt.totalMemory() - rt.freeMemory())
                .field(Protocol.F_HEAP_MAX, max == Long.MAX_VALUE ? -1 : max);
        health.contribute(beat);
    }
}
