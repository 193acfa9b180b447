package io.hbwatch.monitor.jmx;

/**
 * One answer of the Heartbeat MBean: the attributes read and the echo of {@code ping}, from one
 * bulk request. Immutable.
 *
 * @param status {@code UP}, {@code DEGRADED} or {@code DOWN} as the MBean says; never null
 * @param reason the MBean's one-word reason, null when UP
 * @param detail the MBean's sentence, may be null
 * @param sequence the beat counter
 * @param intervalMs the agent's beat interval, or {@code -1} when not given
 * @param instance the agent instance (changes on restart), may be null
 * @param echo what {@code ping(nonce)} returned
 * @param rttNanos the round trip of the request
 * @param pid the JVM's process id as text, null when the MBean does not give it
 */
public record HeartbeatReading(
        String status,
        String reason,
        String detail,
        long sequence,
        long intervalMs,
        String instance,
        String echo,
        long rttNanos,
        String pid) {
    /** A reading without the JVM's process id. */
    public HeartbeatReading(
            String status,
            String reason,
            String detail,
            long sequence,
            long intervalMs,
            String instance,
            String echo,
            long rttNanos) {
        this(status, reason, detail, sequence, intervalMs, instance, echo, rttNanos, null);
    }
}
