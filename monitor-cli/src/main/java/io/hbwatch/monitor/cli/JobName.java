package io.hbwatch.monitor.cli;

/** The values of {@code --job}, as the contract names them. */
public enum JobName {
    /** Ping-echo to the host. */
    ping,
    /** The heartbeat stream. */
    hb,
    /** Jolokia poll of the Heartbeat MBean. */
    jmx,
    /** Every job this build has, side by side on one target. */
    all
}
