package io.hbwatch.monitor.cli;

/** The values of {@code --format}. */
public enum Format {
    /** One line per change of state for people, colored on a terminal. */
    text,
    /** One JSON object per line on stdout, per the contract's "Monitor events". */
    json,
    /**
     * As a monitoring plugin (Nagios, Icinga): the first stdout line is {@code HBWATCH OK|WARNING|
     * CRITICAL|UNKNOWN - summary | perfdata}, the text lines follow; what {@code text} becomes with
     * {@code --count}.
     */
    plugin
}
